namespace Hangar.ObjectStore.Tests;

/// <summary>Lets the crash test start the server as a separate OS process from this same assembly.</summary>
public static class ServerMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "__s3-server")
        {
            return await S3ServerProgram.RunAsync(args[1..], CancellationToken.None);
        }
        await Console.Error.WriteLineAsync("usage: Hangar.ObjectStore.Tests __s3-server ARGS (tests run through dotnet test)");
        return 2;
    }
}
