"""Hangar's launcher for the packaged Patroni: runs Patroni's own main after one fix to its etcd3 driver.

Patroni 3.0.2's Etcd3._update_leader writes the leader key unconditionally when its lease changed. A leader
frozen (SIGSTOP, a stalled VM) for longer than the TTL wakes up, gets a new lease, and overwrites the key a
promoted replica now holds; that replica demotes and every commit it acknowledged is thrown away. Here the
key is only written inside an etcd transaction comparing its VALUE with this member's name: a missing key or
another member's name writes nothing and returns False, and Patroni demotes itself ('immediate-nolock').

The replacement is only installed over the exact function it was written against: any other Patroni makes
the node fail at start rather than run unpatched.

Usage: python3 hangar_patroni.py PATRONI_CONFIG   (the arguments of the patroni command)
"""
import hashlib
import inspect
import sys
import time

# Patroni versions and the sha256 of Etcd3._update_leader's source this patch replaces.
PATCHED = {
    '3.0.2': 'f929a8bc9ee48cfa2fc52a909dac4ae2ec4db14cda01c354cd16f254dc69d2f3',
}


class UnsupportedPatroni(Exception):
    pass


def _original_source(etcd3):
    function = etcd3.Etcd3._update_leader
    # catch_return_false_exception wraps without functools.wraps: the original is the closure's only cell.
    cells = [c.cell_contents for c in (function.__closure__ or ()) if inspect.isfunction(c.cell_contents)]
    if len(cells) != 1 or cells[0].__name__ != '_update_leader':
        raise UnsupportedPatroni('Etcd3._update_leader is not wrapped as expected')
    return inspect.getsource(cells[0])


def install():
    """Replace Etcd3._update_leader with the compare-and-swap version; raise UnsupportedPatroni otherwise."""
    from patroni.version import __version__

    expected = PATCHED.get(__version__)
    if expected is None:
        raise UnsupportedPatroni('Patroni {0} is not one Hangar patches (known: {1})'.format(__version__, ', '.join(sorted(PATCHED))))

    from patroni.dcs import etcd3, Leader, ReturnFalseException, catch_return_false_exception
    actual = hashlib.sha256(_original_source(etcd3).encode('utf-8')).hexdigest()
    if actual != expected:
        raise UnsupportedPatroni('Patroni {0}: Etcd3._update_leader differs from the one Hangar patches (sha256 {1})'.format(__version__, actual))
    for name in ('_run_and_handle_exceptions', '_do_refresh_lease', 'leader_path', 'cluster'):
        if not hasattr(etcd3.Etcd3, name):
            raise UnsupportedPatroni('Patroni {0}: Etcd3.{1} is missing'.format(__version__, name))

    encode = etcd3.base64_encode

    @catch_return_false_exception
    def _update_leader(self):
        retry = self._retry.copy()

        def _retry(*args, **kwargs):
            kwargs['retry'] = retry
            return retry(*args, **kwargs)

        self._run_and_handle_exceptions(self._do_refresh_lease, True, retry=_retry)
        if not self._lease:
            return False

        retry.deadline = retry.stoptime - time.time()
        if retry.deadline < 1:
            raise etcd3.Etcd3Error('update_leader timeout')

        key = encode(self.leader_path)
        name = encode(self._name)
        # Etcd fails a VALUE compare on a missing key, so an expired key is never re-created here: taking a
        # free key is attempt_to_acquire_leader's job (create_revision == 0), where the replicas race fairly.
        cluster = self.cluster
        if cluster and isinstance(cluster.leader, Leader) and cluster.leader.session == self._lease:
            # The key is on our live lease already, as Patroni's cache says; the compare alone is then a
            # linearizable check that it still names us (the cache may be stale after a freeze). The client's
            # cache update reads success[0], so it is a harmless range rather than nothing.
            success = {'request_range': {'key': key}}
        else:
            success = {'request_put': {'key': key, 'value': name, 'lease': self._lease}}
        txn = {'compare': [{'key': key, 'target': 'VALUE', 'result': 'EQUAL', 'value': name}], 'success': [success]}
        try:
            response = self._run_and_handle_exceptions(self._client.call_rpc, '/kv/txn', txn, retry=_retry)
        except ReturnFalseException:
            return False
        return bool(response and response.get('succeeded'))

    etcd3.Etcd3._update_leader = _update_leader


def main():
    try:
        install()
    except UnsupportedPatroni as e:
        sys.stderr.write('hangar-patroni: refusing to start Patroni unpatched: {0}\n'.format(e))
        return 78  # EX_CONFIG
    from patroni.__main__ import main as patroni_main
    return patroni_main()


if __name__ == '__main__':
    sys.exit(main())
