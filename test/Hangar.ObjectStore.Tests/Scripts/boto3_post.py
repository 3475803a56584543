"""Browser uploads (POST Object) the way web apps make them: boto3's generate_presigned_post (SigV4, and SigV2
with signature_version='s3'), posted with `curl -F` like a form; then each refusal S3 gives: an expired policy,
a key outside starts-with, a body outside content-length-range, a field the policy does not cover, a bad
signature, a missing key, a malformed policy, more than 10 tags. Object tagging through boto3 too.
Exits non-zero on the first failed assertion; prints OK at the end."""
import base64, hashlib, hmac, json, os, re, subprocess, tempfile, uuid
import boto3
from botocore.config import Config

endpoint = os.environ['AWS_ENDPOINT_URL_S3']
cfg = Config(retries={'max_attempts': 1})
s3 = boto3.client('s3', endpoint_url=endpoint, region_name='local', config=cfg)
s3v2 = boto3.client('s3', endpoint_url=endpoint, region_name='local', config=Config(signature_version='s3', retries={'max_attempts': 1}))
bucket = 'post-' + uuid.uuid4().hex[:12]
s3.create_bucket(Bucket=bucket)
work = tempfile.mkdtemp(prefix='hangar-post-')

def file_of(name, data):
    path = os.path.join(work, name)
    with open(path, 'wb') as f:
        f.write(data)
    return path

def post(url, fields, path, extra=()):
    """curl -F with the fields in order and the file last; returns (status, headers, body)."""
    args = ['curl', '-sS', '-D', '-', '-o', os.path.join(work, 'body'), '-w', '', url]
    for k, v in fields.items():
        args += ['--form-string', '%s=%s' % (k, v)]
    args += ['-F', 'file=@%s' % path] + list(extra)
    run = subprocess.run(args, capture_output=True, text=True, timeout=60)
    out = run.stdout
    assert run.returncode == 0, (run.returncode, run.stdout, run.stderr)
    heads = [h for h in out.replace('\r\n', '\n').split('\n\n') if h.startswith('HTTP/')]
    status = int(heads[-1].split()[1])
    with open(os.path.join(work, 'body'), 'rb') as f:
        body = f.read().decode()
    return status, heads[-1].lower(), body

def refused(status, body, want_status, code, message=None):
    assert status == want_status, (status, body)
    assert '<Code>%s</Code>' % code in body, body
    if message:
        assert message in body, body

hello = file_of('hello.txt', b'hello from a browser form\n')
conditions = [{'acl': 'private'}, {'success_action_status': '201'}, ['starts-with', '$key', 'uploads/'],
              ['content-length-range', 1, 100], ['starts-with', '$Content-Type', 'text/'], {'x-amz-meta-owner': 'alice'}]
fields = {'acl': 'private', 'success_action_status': '201', 'Content-Type': 'text/plain', 'x-amz-meta-owner': 'alice'}
p = s3.generate_presigned_post(bucket, 'uploads/${filename}', Fields=dict(fields), Conditions=conditions, ExpiresIn=300)
assert 'x-amz-signature' in p['fields'] and 'policy' in p['fields'], p['fields']

# SigV4 upload, ${filename} expanded, 201 with the PostResponse document.
status, headers, body = post(p['url'], p['fields'], hello)
assert status == 201, (status, body)
assert '<Key>uploads/hello.txt</Key>' in body and '<Bucket>%s</Bucket>' % bucket in body, body
etag = re.search(r'<ETag>(.*?)</ETag>', body).group(1)
assert etag.replace('&quot;', '').strip('"') == hashlib.md5(open(hello, 'rb').read()).hexdigest(), etag
got = s3.get_object(Bucket=bucket, Key='uploads/hello.txt')
assert got['Body'].read() == open(hello, 'rb').read()
assert got['ContentType'] == 'text/plain' and got['Metadata'] == {'owner': 'alice'}, (got['ContentType'], got['Metadata'])

# SigV2 form (AWSAccessKeyId + signature), default 204, x-ignore-* fields need no condition.
p2 = s3v2.generate_presigned_post(bucket, 'v2/${filename}', Conditions=[['starts-with', '$key', 'v2/']], ExpiresIn=300)
assert 'AWSAccessKeyId' in p2['fields'] and 'signature' in p2['fields'], p2['fields']
status, headers, body = post(p2['url'], dict(p2['fields'], **{'x-ignore-note': 'anything'}), hello)
assert status == 204, (status, body)
assert s3.get_object(Bucket=bucket, Key='v2/hello.txt')['Body'].read() == open(hello, 'rb').read()

# success_action_redirect: 303 to the page with bucket, key and etag.
pr = s3.generate_presigned_post(bucket, 'redirected.txt', Fields={'success_action_redirect': 'http://app.example/done?x=1'},
                                Conditions=[{'success_action_redirect': 'http://app.example/done?x=1'}], ExpiresIn=300)
status, headers, body = post(pr['url'], pr['fields'], hello)
assert status == 303, (status, body)
location = re.search(r'^location: (.*)$', headers, re.M).group(1).strip()
assert location.startswith('http://app.example/done?x=1&bucket=%s&key=redirected.txt&etag=%%22' % bucket), location

# Tags from the form's tagging field, read back through GetObjectTagging; x-amz-tagging-count on HEAD.
tagging = '<Tagging><TagSet><Tag><Key>project</Key><Value>blue</Value></Tag></TagSet></Tagging>'
pt = s3.generate_presigned_post(bucket, 'tagged.txt', Fields={'tagging': tagging}, Conditions=[{'tagging': tagging}], ExpiresIn=300)
status, headers, body = post(pt['url'], pt['fields'], hello)
assert status == 204, (status, body)
assert s3.get_object_tagging(Bucket=bucket, Key='tagged.txt')['TagSet'] == [{'Key': 'project', 'Value': 'blue'}]
assert s3.head_object(Bucket=bucket, Key='tagged.txt')['ResponseMetadata']['HTTPHeaders']['x-amz-tagging-count'] == '1'

# Refusals, each S3's error (never a 500), and nothing stored.
expired = s3.generate_presigned_post(bucket, 'uploads/late.txt', Fields=dict(fields), Conditions=conditions, ExpiresIn=-60)
status, _, body = post(expired['url'], expired['fields'], hello)
refused(status, body, 403, 'AccessDenied', 'Invalid according to Policy: Policy expired.')

status, _, body = post(p['url'], dict(p['fields'], key='elsewhere/x.txt'), hello)
refused(status, body, 403, 'AccessDenied', 'Invalid according to Policy: Policy Condition failed: [&quot;starts-with&quot;, &quot;$key&quot;, &quot;uploads/&quot;]')

status, _, body = post(p['url'], p['fields'], file_of('big.txt', b'x' * 101))
refused(status, body, 400, 'EntityTooLarge')
status, _, body = post(p['url'], p['fields'], file_of('empty.txt', b''))
refused(status, body, 400, 'EntityTooSmall')

status, _, body = post(p['url'], dict(p['fields'], **{'x-amz-meta-extra': 'sneaked'}), hello)
refused(status, body, 403, 'AccessDenied', 'Extra input fields: x-amz-meta-extra')

status, _, body = post(p['url'], dict(p['fields'], **{'Content-Type': 'image/png'}), hello)
refused(status, body, 403, 'AccessDenied', 'Policy Condition failed')

bad = dict(p['fields'])
bad['x-amz-signature'] = '0' * 64
status, _, body = post(p['url'], bad, hello)
refused(status, body, 403, 'SignatureDoesNotMatch')

status, _, body = post(p2['url'], dict(p2['fields'], signature='AAAA' + p2['fields']['signature'][4:]), hello)
refused(status, body, 403, 'SignatureDoesNotMatch')

# A line break cannot reach the stored headers (it would forge another header, say an ACL).
pn = s3.generate_presigned_post(bucket, 'newline.txt', Fields={'Content-Type': 'text/plain'}, Conditions=[['starts-with', '$Content-Type', 'text/']], ExpiresIn=300)
status, _, body = post(pn['url'], dict(pn['fields'], **{'Content-Type': 'text/plain\nx-hangar-acl\nforged'}), hello)
refused(status, body, 400, 'InvalidArgument', 'line break')

nokey = {k: v for k, v in p['fields'].items() if k != 'key'}
status, _, body = post(p['url'], nokey, hello)
refused(status, body, 400, 'InvalidArgument', 'key')

# A well-signed policy that is not JSON: InvalidPolicyDocument.
cred = p['fields']['x-amz-credential']
_, day, region, service, _ = cred.split('/')
def sign_v4(policy_b64):
    k = hmac.new(('AWS4' + os.environ['AWS_SECRET_ACCESS_KEY']).encode(), day.encode(), hashlib.sha256).digest()
    for part in (region, service, 'aws4_request'):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return hmac.new(k, policy_b64.encode(), hashlib.sha256).hexdigest()
junk = base64.b64encode(b'{"expiration": "2030-01-01T00:00:00Z", "conditions": [ this is not json').decode()
status, _, body = post(p['url'], dict(p['fields'], policy=junk, **{'x-amz-signature': sign_v4(junk)}), hello)
refused(status, body, 400, 'InvalidPolicyDocument')

eleven = '<Tagging><TagSet>' + ''.join('<Tag><Key>k%d</Key><Value>v</Value></Tag>' % i for i in range(11)) + '</TagSet></Tagging>'
p11 = s3.generate_presigned_post(bucket, 'many-tags.txt', Fields={'tagging': eleven}, Conditions=[{'tagging': eleven}], ExpiresIn=300)
status, _, body = post(p11['url'], p11['fields'], hello)
refused(status, body, 400, 'BadRequest')

# A 20 MiB file streams through (many buffers); over a 1 MiB range it is refused with S3's error, not a reset.
large = file_of('large.bin', os.urandom(20 * 1024 * 1024))
pl = s3.generate_presigned_post(bucket, 'large.bin', Conditions=[['content-length-range', 1, 32 * 1024 * 1024]], ExpiresIn=300)
status, headers, body = post(pl['url'], pl['fields'], large)
assert status == 204, (status, headers, body)
assert re.search(r'^etag: "(.*)"', headers, re.M).group(1) == hashlib.md5(open(large, 'rb').read()).hexdigest(), headers
assert s3.head_object(Bucket=bucket, Key='large.bin')['ContentLength'] == 20 * 1024 * 1024
s3.delete_object(Bucket=bucket, Key='large.bin')
ps = s3.generate_presigned_post(bucket, 'large.bin', Conditions=[['content-length-range', 1, 1024 * 1024]], ExpiresIn=300)
status, _, body = post(ps['url'], ps['fields'], large)
refused(status, body, 400, 'EntityTooLarge')

# Fields after the file are ignored, as S3 does (so no policy needs to name them).
status, _, body = post(p['url'], p['fields'], file_of('late.txt', b'late fields'), ['--form-string', 'x-amz-meta-after=late'])
assert status == 201, (status, body)
assert s3.head_object(Bucket=bucket, Key='uploads/late.txt')['Metadata'] == {'owner': 'alice'}
s3.delete_object(Bucket=bucket, Key='uploads/late.txt')

# No policy and no signature: anonymous, allowed only where the bucket ACL lets everyone write.
status, _, body = post('%s/%s' % (endpoint, bucket), {'key': 'anon.txt'}, hello)
refused(status, body, 403, 'AccessDenied')
open_bucket = 'post-open-' + uuid.uuid4().hex[:8]
s3.create_bucket(Bucket=open_bucket, ACL='public-read-write')
status, _, body = post('%s/%s' % (endpoint, open_bucket), {'key': 'anon/${filename}', 'Content-Type': 'text/plain'}, hello)
assert status == 204, (status, body)
assert s3.get_object(Bucket=open_bucket, Key='anon/hello.txt')['Body'].read() == open(hello, 'rb').read()
s3.delete_object(Bucket=open_bucket, Key='anon/hello.txt')
s3.delete_bucket(Bucket=open_bucket)

listed = sorted(o['Key'] for o in s3.list_objects_v2(Bucket=bucket).get('Contents', []))
assert listed == ['redirected.txt', 'tagged.txt', 'uploads/hello.txt', 'v2/hello.txt'], listed

# CORS: the preflight for a form POST, and the POST's own answer carries the headers.
s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={'CORSRules': [
    {'AllowedOrigins': ['http://app.example'], 'AllowedMethods': ['POST'], 'AllowedHeaders': ['*'], 'ExposeHeaders': ['ETag']}]})
pre = subprocess.run(['curl', '-sS', '-D', '-', '-o', '/dev/null', '-X', 'OPTIONS', '%s/%s' % (endpoint, bucket),
                      '-H', 'Origin: http://app.example', '-H', 'Access-Control-Request-Method: POST'],
                     check=True, capture_output=True, text=True, timeout=30).stdout.lower()
assert pre.startswith('http/1.1 200') and 'access-control-allow-origin: http://app.example' in pre, pre
status, headers, body = post(p['url'], p['fields'], hello, ['-H', 'Origin: http://app.example'])
assert status == 201 and 'access-control-allow-origin: http://app.example' in headers and 'access-control-expose-headers: etag' in headers, (status, headers)

# Tagging through boto3: PUT with Tagging, copy with the directive, limits.
s3.put_object(Bucket=bucket, Key='t.txt', Body=b'x', Tagging='a=1&b=two%20words')
assert s3.get_object_tagging(Bucket=bucket, Key='t.txt')['TagSet'] == [{'Key': 'a', 'Value': '1'}, {'Key': 'b', 'Value': 'two words'}]
s3.copy_object(Bucket=bucket, Key='t-copy.txt', CopySource={'Bucket': bucket, 'Key': 't.txt'})
assert len(s3.get_object_tagging(Bucket=bucket, Key='t-copy.txt')['TagSet']) == 2
s3.copy_object(Bucket=bucket, Key='t-replaced.txt', CopySource={'Bucket': bucket, 'Key': 't.txt'}, TaggingDirective='REPLACE', Tagging='c=3')
assert s3.get_object_tagging(Bucket=bucket, Key='t-replaced.txt')['TagSet'] == [{'Key': 'c', 'Value': '3'}]
try:
    s3.put_object_tagging(Bucket=bucket, Key='t.txt', Tagging={'TagSet': [{'Key': 'k%d' % i, 'Value': 'v'} for i in range(11)]})
    raise AssertionError('11 tags accepted')
except s3.exceptions.ClientError as e:
    assert e.response['Error']['Code'] == 'BadRequest', e.response
s3.delete_object_tagging(Bucket=bucket, Key='t.txt')
assert s3.get_object_tagging(Bucket=bucket, Key='t.txt')['TagSet'] == []

for o in s3.list_objects_v2(Bucket=bucket).get('Contents', []):
    s3.delete_object(Bucket=bucket, Key=o['Key'])
s3.delete_bucket(Bucket=bucket)
print('OK')
