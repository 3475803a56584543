"""Requests real clients never produce: malformed XML bodies and a client clock 20 minutes off."""
import datetime, os, urllib.request, urllib.error
import boto3, botocore.auth, urllib3
from botocore.config import Config
urllib3.disable_warnings()
from botocore.exceptions import ClientError

bucket = os.environ['BUCKET_NAME']
# Over HTTPS with payload signing off, boto3 sends UNSIGNED-PAYLOAD, so a body swapped in just before
# sending still carries a valid signature and reaches the XML parser.
s3 = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL_S3_HTTPS'], region_name='auto', verify=False,
                  config=Config(s3={'payload_signing_enabled': False}))
override = {'body': None}
def swap_body(request, **kwargs):
    if override['body'] is not None:
        request.body = override['body']
        request.headers['Content-Length'] = str(len(override['body']))
s3.meta.events.register('before-send.s3', swap_body)

def malformed(call, body):
    override['body'] = body
    try:
        call()
        raise AssertionError('malformed body accepted: %r' % body)
    except ClientError as e:
        assert e.response['Error']['Code'] == 'MalformedXML', e.response
    finally:
        override['body'] = None

malformed(lambda: s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={'Status': 'Enabled'}), b'<VersioningConfiguration><Status>Enabled</Stat')
malformed(lambda: s3.delete_objects(Bucket=bucket, Delete={'Objects': [{'Key': 'x'}]}), b'not xml at all')
mpu = s3.create_multipart_upload(Bucket=bucket, Key='m')
malformed(lambda: s3.complete_multipart_upload(Bucket=bucket, Key='m', UploadId=mpu['UploadId'], MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': 'x'}]}),
          b'<CompleteMultipartUpload><Part><PartNumber>one</PartNumber></Part></CompleteMultipartUpload>')
malformed(lambda: s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={'CORSRules': [{'AllowedMethods': ['GET'], 'AllowedOrigins': ['*']}]}),
          b'<CORSConfiguration><CORSRule></CORSRule></CORSConfiguration>')

# A client clock 20 minutes behind: botocore stamps x-amz-date from datetime.datetime.utcnow().
class Skewed(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - datetime.timedelta(minutes=20)
botocore.auth.datetime.datetime = Skewed
try:
    s3.list_objects_v2(Bucket=bucket)
    raise AssertionError('skewed request accepted')
except ClientError as e:
    assert e.response['Error']['Code'] == 'RequestTimeTooSkewed', e.response
print('OK')
