"""Drives the packaged Patroni's etcd3 driver against a real etcd, with or without hangar_patroni's patch.

Usage: hangar_patroni_test.py LAUNCHER_DIR ETCD_HOST:PORT patched|unpatched
Prints one line per case, "case: ok" or "case: FAILED ..." and exits 1 if any case failed.
"""
import base64
import sys
import uuid

sys.path.insert(0, sys.argv[1])
import hangar_patroni  # noqa: E402

if sys.argv[3] == 'patched':
    hangar_patroni.install()

from patroni.dcs.etcd3 import Etcd3  # noqa: E402

scope = 'freeze-' + uuid.uuid4().hex
failed = []


def dcs(name):
    return Etcd3({'host': sys.argv[2], 'scope': scope, 'namespace': '/t/', 'name': name,
                  'ttl': 10, 'retry_timeout': 4, 'loop_wait': 1})


def holder(node):
    kvs = node._client.range(node.leader_path).get('kvs') or []
    return base64.b64decode(kvs[0]['value']).decode() if kvs else None


def check(case, condition, detail):
    print('{0}: {1}'.format(case, 'ok' if condition else 'FAILED ' + detail))
    if not condition:
        failed.append(case)


a, b = dcs('a'), dcs('b')
assert a.attempt_to_acquire_leader(), 'a takes the free key'
a.get_cluster()
check('holder renews', a.update_leader(None) is True and holder(a) == 'a', 'update_leader did not renew the key a holds')

# a freezes past its TTL: its lease is gone with the key, and b takes the free key. a wakes up: the keepalive
# fails, it grants a new lease, and its cached cluster still names a as the leader.
a._client.call_rpc('/lease/revoke', {'ID': a._lease})
assert b.attempt_to_acquire_leader(), 'b takes the key a lost'
ret = a.update_leader(None)
check('woken leader', ret is False and holder(a) == 'b', 'update_leader returned {0}, key names {1}'.format(ret, holder(a)))

# The key is gone and nobody took it yet: a must not re-create it outside the race of attempt_to_acquire_leader.
b.delete_leader()
b._client.deleterange(b.leader_path)
a.get_cluster()
ret = a.update_leader(None)
check('missing key', ret is False and holder(a) is None, 'update_leader returned {0}, key names {1}'.format(ret, holder(a)))

# a holds the key on its live lease, and its cache says so, but the key was replaced behind it.
assert a.attempt_to_acquire_leader(), 'a takes the key again'
a.get_cluster()
a.update_leader(None)
b._client.put(b.leader_path, 'b', b._lease)
ret = a.update_leader(None)
check('stale cache', ret is False and holder(a) == 'b', 'update_leader returned {0}, key names {1}'.format(ret, holder(a)))

sys.exit(1 if failed else 0)
