"""SSE-S3 through boto3: sealed PUT, GET and ranged GET byte-identical, multipart, bucket default encryption and
its errors. Exits non-zero on the first failed assertion; prints OK at the end."""
import hashlib, os, uuid
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

s3 = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL_S3'], aws_access_key_id=os.environ['AWS_ACCESS_KEY_ID'],
                  aws_secret_access_key=os.environ['AWS_SECRET_ACCESS_KEY'], region_name='local', config=Config(retries={'max_attempts': 1}))

def error(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code']
    raise AssertionError('expected an error from %s' % fn.__name__)

bucket = 'sse-' + uuid.uuid4().hex[:12]
s3.create_bucket(Bucket=bucket)
body = os.urandom(150_000)
put = s3.put_object(Bucket=bucket, Key='a', Body=body, ServerSideEncryption='AES256')
assert put['ServerSideEncryption'] == 'AES256', put
assert put['ETag'] == '"%s"' % hashlib.md5(body).hexdigest(), put['ETag']
got = s3.get_object(Bucket=bucket, Key='a')
assert got['ServerSideEncryption'] == 'AES256' and got['Body'].read() == body
assert s3.get_object(Bucket=bucket, Key='a', Range='bytes=65000-70000')['Body'].read() == body[65000:70001]
assert s3.head_object(Bucket=bucket, Key='a')['ServerSideEncryption'] == 'AES256'
assert error(s3.put_object, Bucket=bucket, Key='b', Body=b'x', ServerSideEncryption='DES')[:2] == (400, 'InvalidArgument')

mp = s3.create_multipart_upload(Bucket=bucket, Key='mp', ServerSideEncryption='AES256')
part1, part2 = os.urandom(5 * 1024 * 1024), os.urandom(1000)
e1 = s3.upload_part(Bucket=bucket, Key='mp', UploadId=mp['UploadId'], PartNumber=1, Body=part1)
e2 = s3.upload_part(Bucket=bucket, Key='mp', UploadId=mp['UploadId'], PartNumber=2, Body=part2)
assert e1['ServerSideEncryption'] == 'AES256'
s3.complete_multipart_upload(Bucket=bucket, Key='mp', UploadId=mp['UploadId'],
    MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': e1['ETag']}, {'PartNumber': 2, 'ETag': e2['ETag']}]})
assert s3.get_object(Bucket=bucket, Key='mp')['Body'].read() == part1 + part2

assert error(s3.get_bucket_encryption, Bucket=bucket) == (404, 'ServerSideEncryptionConfigurationNotFoundError')
s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={'Rules': [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'AES256'}}]})
rules = s3.get_bucket_encryption(Bucket=bucket)['ServerSideEncryptionConfiguration']['Rules']
assert rules[0]['ApplyServerSideEncryptionByDefault']['SSEAlgorithm'] == 'AES256', rules
assert s3.put_object(Bucket=bucket, Key='c', Body=b'defaulted')['ServerSideEncryption'] == 'AES256'
assert error(s3.put_bucket_encryption, Bucket=bucket, ServerSideEncryptionConfiguration={'Rules': [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'aws:kms'}}]})[1] == 'NotImplemented'
s3.delete_bucket_encryption(Bucket=bucket)
assert error(s3.get_bucket_encryption, Bucket=bucket) == (404, 'ServerSideEncryptionConfigurationNotFoundError')
for key in ('a', 'mp', 'c'):
    s3.delete_object(Bucket=bucket, Key=key)
s3.delete_bucket(Bucket=bucket)
print('OK')
