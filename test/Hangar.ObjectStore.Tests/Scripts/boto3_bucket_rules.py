"""Lifecycle and bucket policies through boto3: round trips, the errors S3 gives for bad documents, and a
public-read policy that lets an unsigned client read. Exits non-zero on the first failed assertion; prints OK."""
import json, os, uuid
import boto3
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ['AWS_ENDPOINT_URL_S3']
cfg = Config(retries={'max_attempts': 1})
s3 = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=os.environ['AWS_ACCESS_KEY_ID'],
                  aws_secret_access_key=os.environ['AWS_SECRET_ACCESS_KEY'], region_name='local', config=cfg)
anon = boto3.client('s3', endpoint_url=endpoint, region_name='local',
                    config=Config(signature_version=UNSIGNED, retries={'max_attempts': 1}))

def error(fn, **kw):
    try:
        fn(**kw)
    except ClientError as e:
        return e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code'], e.response['Error'].get('Message', '')
    raise AssertionError('expected an error from %s' % fn.__name__)

bucket = 'rules-' + uuid.uuid4().hex[:12]
s3.create_bucket(Bucket=bucket)

# Lifecycle: no configuration yet, then a round trip, then S3's errors for bad rules.
assert error(s3.get_bucket_lifecycle_configuration, Bucket=bucket)[:2] == (404, 'NoSuchLifecycleConfiguration')
rules = [
    {'ID': 'logs', 'Filter': {'And': {'Prefix': 'logs/', 'Tags': [{'Key': 'tier', 'Value': 'tmp'}]}}, 'Status': 'Enabled',
     'Expiration': {'Days': 30}, 'NoncurrentVersionExpiration': {'NoncurrentDays': 5}},
    {'ID': 'uploads', 'Filter': {'Prefix': ''}, 'Status': 'Enabled', 'AbortIncompleteMultipartUpload': {'DaysAfterInitiation': 7}},
]
s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={'Rules': rules})
got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)['Rules']
assert [r['ID'] for r in got] == ['logs', 'uploads'], got
assert got[0]['Expiration']['Days'] == 30 and got[0]['Filter']['And']['Tags'] == [{'Key': 'tier', 'Value': 'tmp'}], got
assert got[1]['AbortIncompleteMultipartUpload']['DaysAfterInitiation'] == 7, got
both = [{'ID': 'x', 'Filter': {'Prefix': ''}, 'Status': 'Enabled', 'Expiration': {'Days': 1, 'Date': '2030-01-01T00:00:00Z'}}]
# botocore validates nothing here, so the server sees both and must answer S3's error (not a 500).
status, code, _ = error(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={'Rules': both})
assert (status, code) == (400, 'MalformedXML'), (status, code)
zero = [{'ID': 'x', 'Filter': {'Prefix': ''}, 'Status': 'Enabled', 'Expiration': {'Days': 0}}]
assert error(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={'Rules': zero})[:2] == (400, 'InvalidArgument')
noon = [{'ID': 'x', 'Filter': {'Prefix': ''}, 'Status': 'Enabled', 'Expiration': {'Date': '2030-01-01T12:00:00Z'}}]
assert error(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={'Rules': noon})[:2] == (400, 'InvalidArgument')
dup = [{'ID': 'same', 'Filter': {'Prefix': 'a'}, 'Status': 'Enabled', 'Expiration': {'Days': 1}}] * 2
assert error(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={'Rules': dup})[:2] == (400, 'InvalidArgument')
assert len(s3.get_bucket_lifecycle_configuration(Bucket=bucket)['Rules']) == 2, 'a refused PUT replaced the rules'
s3.delete_bucket_lifecycle(Bucket=bucket)
assert error(s3.get_bucket_lifecycle_configuration, Bucket=bucket)[:2] == (404, 'NoSuchLifecycleConfiguration')

# Policies: errors first, then public read for an unsigned client.
s3.put_object(Bucket=bucket, Key='pub/a.txt', Body=b'public bytes')
assert error(anon.get_object, Bucket=bucket, Key='pub/a.txt')[:2] == (403, 'AccessDenied')
assert error(s3.get_bucket_policy, Bucket=bucket)[:2] == (404, 'NoSuchBucketPolicy')
status, code, message = error(s3.put_bucket_policy, Bucket=bucket, Policy='{"Version": "2012-10-17", "Statement": [')
assert (status, code) == (400, 'MalformedPolicy'), (status, code)
not_principal = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'NotPrincipal': {'AWS': '*'},
                 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::%s/*' % bucket}]}
status, code, message = error(s3.put_bucket_policy, Bucket=bucket, Policy=json.dumps(not_principal))
assert (status, code) == (400, 'MalformedPolicy') and 'NotPrincipal' in message, (status, code, message)
public = {'Version': '2012-10-17', 'Statement': [{'Sid': 'PublicRead', 'Effect': 'Allow', 'Principal': '*',
          'Action': ['s3:GetObject'], 'Resource': ['arn:aws:s3:::%s/pub/*' % bucket]}]}
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public))
assert json.loads(s3.get_bucket_policy(Bucket=bucket)['Policy']) == public
assert s3.get_bucket_policy_status(Bucket=bucket)['PolicyStatus']['IsPublic'] is True
assert anon.get_object(Bucket=bucket, Key='pub/a.txt')['Body'].read() == b'public bytes'
assert error(anon.put_object, Bucket=bucket, Key='pub/b.txt', Body=b'x')[:2] == (403, 'AccessDenied')
s3.delete_bucket_policy(Bucket=bucket)
assert error(anon.get_object, Bucket=bucket, Key='pub/a.txt')[:2] == (403, 'AccessDenied')
s3.delete_object(Bucket=bucket, Key='pub/a.txt')
s3.delete_bucket(Bucket=bucket)
print('OK')
