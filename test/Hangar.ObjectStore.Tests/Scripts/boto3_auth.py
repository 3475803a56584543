"""Signature Version 2 (header-signed and presigned, as botocore makes them), presigned expiry bounds, and SigV4
signed for the regions apps and SDKs use."""
import base64, hashlib, hmac, time, urllib.parse
from botocore.config import Config
from compat_common import BUCKET, ENDPOINT, KEY_ID, SECRET, client, error, fetch

v4 = client()
v4.put_object(Bucket=BUCKET, Key='auth/a b&c.txt', Body=b'signed body')

# SigV4 for "auto" (what Hangar sets as AWS_REGION) and us-east-1 (what clients fall back to).
for region in ('auto', 'us-east-1'):
    assert client(region).get_object(Bucket=BUCKET, Key='auth/a b&c.txt')['Body'].read() == b'signed body', region

# Header-signed SigV2 through every kind of request the suite's clients make.
v2 = client('us-east-1', signature_version='s3')
v2.put_object(Bucket=BUCKET, Key='auth/v2 key+é.txt', Body=b'v2 body', ContentType='text/plain', Metadata={'m': 'v'})
got = v2.get_object(Bucket=BUCKET, Key='auth/v2 key+é.txt', ResponseContentType='application/x-test')
assert got['Body'].read() == b'v2 body' and got['ContentType'] == 'application/x-test', got
assert [o['Key'] for o in v2.list_objects(Bucket=BUCKET, Prefix='auth/v2')['Contents']] == ['auth/v2 key+é.txt']
mpu = v2.create_multipart_upload(Bucket=BUCKET, Key='auth/mp')
part = v2.upload_part(Bucket=BUCKET, Key='auth/mp', UploadId=mpu['UploadId'], PartNumber=1, Body=b'p' * 10)
v2.complete_multipart_upload(Bucket=BUCKET, Key='auth/mp', UploadId=mpu['UploadId'],
                             MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': part['ETag']}]})
v2.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={'Status': 'Suspended'})
assert v2.get_bucket_versioning(Bucket=BUCKET)['Status'] == 'Suspended'
v2.delete_objects(Bucket=BUCKET, Delete={'Objects': [{'Key': 'auth/mp'}]})

# A wrong secret, and a signature for another request, are refused.
wrong = client('us-east-1', signature_version='s3')
wrong._request_signer._credentials.secret_key = 'not-the-secret'
assert error(lambda: wrong.get_object(Bucket=BUCKET, Key='auth/a b&c.txt')) == (403, 'SignatureDoesNotMatch')

# Presigned SigV2: botocore 1.29 with no region configured signs presigned URLs this way.
no_region = client(None)
url = no_region.generate_presigned_url('get_object', Params={'Bucket': BUCKET, 'Key': 'auth/a b&c.txt'}, ExpiresIn=300)
assert 'AWSAccessKeyId=' in url and 'Signature=' in url and 'X-Amz-' not in url, url
assert fetch(url) == (200, b'signed body'), fetch(url)
explicit = client('us-east-1', signature_version='s3').generate_presigned_url(
    'put_object', Params={'Bucket': BUCKET, 'Key': 'auth/presigned-put'}, ExpiresIn=300)
# urllib would add a form Content-Type the URL was not signed with.
assert fetch(explicit, 'PUT', b'put through a v2 url', {'Content-Type': ''})[0] == 200
assert v4.get_object(Bucket=BUCKET, Key='auth/presigned-put')['Body'].read() == b'put through a v2 url'
status, body = fetch(url.replace('a%20b', 'a%20x'))
assert status == 403 and b'SignatureDoesNotMatch' in body, (status, body)

# A hand-made SigV2 query signature, already expired: AccessDenied "Request has expired".
expires = str(int(time.time()) - 5)
path = '/' + BUCKET + '/' + urllib.parse.quote('auth/a b&c.txt')
signature = base64.b64encode(hmac.new(SECRET.encode(), f'GET\n\n\n{expires}\n{path}'.encode(), hashlib.sha1).digest()).decode()
query = urllib.parse.urlencode({'AWSAccessKeyId': KEY_ID, 'Expires': expires, 'Signature': signature})
status, body = fetch(ENDPOINT + path + '?' + query)
assert status == 403 and b'<Code>AccessDenied</Code>' in body and b'Request has expired' in body, (status, body)
# ...and the same by hand, valid: proves the hand-made signature is right, so the refusal above is the expiry.
expires = str(int(time.time()) + 60)
signature = base64.b64encode(hmac.new(SECRET.encode(), f'GET\n\n\n{expires}\n{path}'.encode(), hashlib.sha1).digest()).decode()
assert fetch(ENDPOINT + path + '?' + urllib.parse.urlencode({'AWSAccessKeyId': KEY_ID, 'Expires': expires, 'Signature': signature})) == (200, b'signed body')

# SigV4 presigned expiry bounds: 0, negative, above 7 days and not a number are refused with 403.
def presigned_v4(expires_in):
    return v4.generate_presigned_url('get_object', Params={'Bucket': BUCKET, 'Key': 'auth/a b&c.txt'}, ExpiresIn=expires_in)

# botocore's CRT signer refuses to make the first two itself; the server checks the bounds before the signature.
for bad in ('0', '-7', '604801', 'soon'):
    status, body = fetch(presigned_v4(60).replace('X-Amz-Expires=60', 'X-Amz-Expires=' + bad))
    assert status == 403 and b'AuthorizationQueryParametersError' in body, (bad, status, body)
status, body = fetch(presigned_v4(604801))
assert status == 403 and b'AuthorizationQueryParametersError' in body, (status, body)
assert fetch(presigned_v4(604800)) == (200, b'signed body')
print('OK')
