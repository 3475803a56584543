"""Drives the server with boto3 the way app code does (the seeds' snippets), then checks edge cases.
Exits non-zero on the first failed assertion; prints OK at the end."""
import os, socket, sys, urllib.parse, urllib.request, urllib.error
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ['AWS_ENDPOINT_URL_S3']
bucket = os.environ['BUCKET_NAME']

# Seed style: credentials and endpoint from the environment Hangar sets for apps.
s3_client = boto3.client('s3', endpoint_url=os.getenv('AWS_ENDPOINT_URL_S3'),
                         aws_access_key_id=os.getenv('AWS_ACCESS_KEY_ID'),
                         aws_secret_access_key=os.getenv('AWS_SECRET_ACCESS_KEY'), region_name='auto')

def upload_file(key, body):
    s3_client.put_object(Bucket=os.getenv('BUCKET_NAME'), Key=key, Body=body)

def download_file(key):
    return s3_client.get_object(Bucket=os.getenv('BUCKET_NAME'), Key=key)['Body'].read()

def generate_presigned_url(key, expiration=3600):
    return s3_client.generate_presigned_url('get_object', Params={'Bucket': os.getenv('BUCKET_NAME'), 'Key': key}, ExpiresIn=expiration)

def error_code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response['Error']['Code']
    raise AssertionError('expected an error')

upload_file('file.txt', b'hello from boto3')
assert download_file('file.txt') == b'hello from boto3'

url = generate_presigned_url('file.txt')
with urllib.request.urlopen(url) as r:
    assert r.read() == b'hello from boto3'
tampered = url.replace('file.txt', 'other.txt')
try:
    urllib.request.urlopen(tampered)
    raise AssertionError('tampered presigned URL accepted')
except urllib.error.HTTPError as e:
    assert e.code == 403, e.code

put_url = s3_client.generate_presigned_url('put_object', Params={'Bucket': bucket, 'Key': 'presigned-put'}, ExpiresIn=60)
req = urllib.request.Request(put_url, data=b'via presigned put', method='PUT')
urllib.request.urlopen(req).read()
assert download_file('presigned-put') == b'via presigned put'

# Multipart with parts out of order: boto3 sends the list as given.
big = os.urandom(5 * 1024 * 1024)
mpu = s3_client.create_multipart_upload(Bucket=bucket, Key='mp')
p1 = s3_client.upload_part(Bucket=bucket, Key='mp', UploadId=mpu['UploadId'], PartNumber=1, Body=big)
p2 = s3_client.upload_part(Bucket=bucket, Key='mp', UploadId=mpu['UploadId'], PartNumber=2, Body=b'tail')
code = error_code(lambda: s3_client.complete_multipart_upload(Bucket=bucket, Key='mp', UploadId=mpu['UploadId'],
    MultipartUpload={'Parts': [{'PartNumber': 2, 'ETag': p2['ETag']}, {'PartNumber': 1, 'ETag': p1['ETag']}]}))
assert code == 'InvalidPartOrder', code
s3_client.complete_multipart_upload(Bucket=bucket, Key='mp', UploadId=mpu['UploadId'],
    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': p1['ETag']}, {'PartNumber': 2, 'ETag': p2['ETag']}]})
assert download_file('mp') == big + b'tail'

# Listing with encoding-type=url and awkward keys.
for k in ['sp ace/1', 'plus+sign', 'percent%25', 'ünï/ç']:
    upload_file(k, k.encode())
keys = [urllib.parse.unquote(o['Key']) for o in s3_client.list_objects_v2(Bucket=bucket, EncodingType='url')['Contents']]
for k in ['sp ace/1', 'plus+sign', 'percent%25', 'ünï/ç']:
    assert k in keys, (k, keys)
pages = s3_client.get_paginator('list_objects').paginate(Bucket=bucket, PaginationConfig={'PageSize': 2})
listed = [o['Key'] for p in pages for o in p.get('Contents', [])]
assert sorted(listed, key=lambda k: k.encode()) == listed, listed
assert len(listed) == len(set(listed)) and 'file.txt' in listed

# Upload and download via the transfer manager (multipart above 8 MiB).
with open('/tmp/boto3-%d.bin' % os.getpid(), 'wb') as f:
    f.write(os.urandom(12 * 1024 * 1024))
s3_client.upload_file(f.name, bucket, 'managed.bin')
s3_client.download_file(bucket, 'managed.bin', f.name + '.back')
assert open(f.name, 'rb').read() == open(f.name + '.back', 'rb').read()
os.remove(f.name); os.remove(f.name + '.back')

# Virtual-hosted style: BUCKET.s3.localhost, resolved to loopback here because libc does not.
real_getaddrinfo = socket.getaddrinfo
def fake_getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith('.s3.localhost'):
        host = '127.0.0.1'
    return real_getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = fake_getaddrinfo
port = endpoint.rsplit(':', 1)[1].rstrip('/')
vhost = boto3.client('s3', endpoint_url='http://s3.localhost:' + port, aws_access_key_id=os.getenv('AWS_ACCESS_KEY_ID'),
                     aws_secret_access_key=os.getenv('AWS_SECRET_ACCESS_KEY'), region_name='auto',
                     config=Config(s3={'addressing_style': 'virtual'}))
vhost.put_object(Bucket=bucket, Key='vhost.txt', Body=b'virtual')
assert vhost.get_object(Bucket=bucket, Key='vhost.txt')['Body'].read() == b'virtual'
socket.getaddrinfo = real_getaddrinfo

# Wrong secret: SignatureDoesNotMatch.
bad = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=os.getenv('AWS_ACCESS_KEY_ID'),
                   aws_secret_access_key='wrong', region_name='auto')
assert error_code(lambda: bad.get_object(Bucket=bucket, Key='file.txt')) == 'SignatureDoesNotMatch'
print('OK')
