"""Bodies whose framing does not add up (Expect: 100-continue with too few or too many bytes, a negative, non-numeric
or missing Content-Length) get an HTTP answer, never a silently dropped or hung connection; and Content-Encoding
is stored byte for byte, losing aws-chunked only when the upload really was aws-chunked."""
import base64, hashlib, re
from compat_common import BUCKET, client, raw

def status(response):
    match = re.match(rb'HTTP/1\.1 (\d{3})', response)
    assert match, response
    return int(match.group(1))

def code(response):
    match = re.search(rb'<Code>(.*?)</Code>', response)
    return match.group(1).decode() if match else None

path = '/' + BUCKET + '/framing'
# Fewer bytes than announced: after the idle timeout, 400 RequestTimeout and the connection closes.
r = raw('PUT', path, {'Content-Length': '4', 'Expect': '100-continue'}, b'bar', wait_continue=True)
assert status(r) == 400 and code(r) == 'RequestTimeout' and not r.endswith(b'<open>'), r
# More bytes than announced, with the MD5 of all of them: the object is not the announced one.
md5 = base64.b64encode(hashlib.md5(b'bar').digest()).decode()
r = raw('PUT', path, {'Content-Length': '2', 'Expect': '100-continue', 'Content-MD5': md5, 'Connection': 'close'}, b'bar', wait_continue=True)
assert status(r) == 400 and code(r) == 'BadDigest', r
# No Content-Length at all: 411 MissingContentLength, and the stray body is not read as a request.
r = raw('PUT', path, {}, b'bar')
assert status(r) == 411 and code(r) == 'MissingContentLength' and not r.endswith(b'<open>'), r
# Negative and non-numeric lengths: Kestrel refuses them with 400 before any handler runs, and closes.
for bad in ('-1', 'abc'):
    r = raw('PUT', path, {'Content-Length': bad}, b'bar')
    assert status(r) == 400 and not r.endswith(b'<open>'), (bad, r)
# The same for a small XML body: a multi-object delete that never finishes arriving.
body = b'<Delete><Object><Key>framing</Key></Object></Delete>'
r = raw('POST', '/' + BUCKET + '?delete', {'Content-Length': str(len(body) + 10), 'Expect': '100-continue'}, body, wait_continue=True)
assert status(r) == 400 and code(r) == 'MalformedXML' and not r.endswith(b'<open>'), r
# Nothing of those reached the index.
s3 = client()
assert 'Contents' not in s3.list_objects_v2(Bucket=BUCKET, Prefix='framing'), 'a malformed PUT stored an object'

# Content-Encoding byte for byte.
s3.put_object(Bucket=BUCKET, Key='enc/plain', Body=b'x', ContentEncoding='deflate, gzip')
assert s3.head_object(Bucket=BUCKET, Key='enc/plain')['ContentEncoding'] == 'deflate, gzip'
r = raw('PUT', '/' + BUCKET + '/enc/not-chunked', {'Content-Length': '1', 'Content-Encoding': 'aws-chunked, gzip', 'Connection': 'close'}, b'x')
assert status(r) == 200, r
assert s3.head_object(Bucket=BUCKET, Key='enc/not-chunked')['ContentEncoding'] == 'aws-chunked, gzip'
print('OK')
