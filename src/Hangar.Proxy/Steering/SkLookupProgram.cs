using System.Buffers.Binary;
using System.Net;

namespace Hangar.Proxy.Steering;

/// <summary>
/// The sk_lookup program, hand-assembled (no BPF compiler on the hosts): for a new connection to the cluster's
/// address and port, take the socket in slot 0 of the sockmap (the leader's listening socket) and assign the
/// connection to it; anything else, or an empty slot, goes on to the normal lookup (this proxy's own listener).
/// </summary>
internal static class SkLookupProgram
{
    // struct bpf_sk_lookup: local_ip4 (network order) at 40, local_port (host order) at 60.
    private const short LocalIp4 = 40;
    private const short LocalPort = 60;
    private const int SkPass = 1;

    public static ulong[] Build(int mapFd, IPEndPoint listen)
    {
        var anyAddress = listen.Address.Equals(IPAddress.Any);
        var address = BinaryPrimitives.ReadInt32LittleEndian(listen.Address.GetAddressBytes());
        return
        [
            Mov(6, 1),                                          //  0: r6 = ctx
            Load32(2, 6, LocalPort),                            //  1: r2 = ctx->local_port
            JumpIfNotEqual(2, listen.Port, 17),                 //  2: another port: goto 20 (pass)
            Load32(2, 6, LocalIp4),                             //  3: r2 = ctx->local_ip4
            anyAddress ? Insn(0x05, 0, 0, 0, 0) : JumpIfNotEqual(2, address, 15), //  4: another address: goto 20
            MovImmediate(2, 0),                                 //  5: r2 = 0
            Insn(0x63, 10, 2, -4, 0),                           //  6: *(u32 *)(fp - 4) = r2: key 0
            Insn(0x18, 1, 1, 0, mapFd),                         //  7: r1 = the map (ld_imm64, BPF_PSEUDO_MAP_FD)
            0,                                                  //  8: second half of ld_imm64
            Mov(2, 10),                                         //  9: r2 = fp
            Insn(0x07, 2, 0, 0, -4),                            // 10: r2 = &key
            Call(SteeringNative.HelperMapLookupElem),           // 11: r0 = the leader's socket (a reference) or null
            Insn(0x15, 0, 0, 7, 0),                             // 12: null: goto 20
            Mov(7, 0),                                          // 13: r7 = socket, kept across calls
            Mov(1, 6),                                          // 14: r1 = ctx
            Mov(2, 7),                                          // 15: r2 = socket
            MovImmediate(3, 0),                                 // 16: r3 = flags 0
            Call(SteeringNative.HelperSkAssign),                // 17: on failure the normal lookup goes on
            Mov(1, 7),                                          // 18: r1 = socket
            Call(SteeringNative.HelperSkRelease),               // 19: release the reference
            MovImmediate(0, SkPass),                            // 20: r0 = SK_PASS
            Insn(0x95, 0, 0, 0, 0),                             // 21: exit
        ];
    }

    private static ulong Mov(byte dst, byte src) => Insn(0xbf, dst, src, 0, 0);

    private static ulong MovImmediate(byte dst, int value) => Insn(0xb7, dst, 0, 0, value);

    private static ulong Load32(byte dst, byte src, short offset) => Insn(0x61, dst, src, offset, 0);

    private static ulong JumpIfNotEqual(byte dst, int value, short skip) => Insn(0x55, dst, 0, skip, value);

    private static ulong Call(int helper) => Insn(0x85, 0, 0, 0, helper);

    /// <summary>struct bpf_insn: code, dst_reg:4 | src_reg:4, off (s16), imm (s32), little-endian.</summary>
    private static ulong Insn(byte code, byte dst, byte src, short offset, int immediate) =>
        code | (ulong)(byte)(dst | (src << 4)) << 8 | (ulong)(ushort)offset << 16 | (ulong)(uint)immediate << 32;
}
