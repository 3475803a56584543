"""Prints presigned GET and PUT URLs for the benchmark (boto3, as an app would make them)."""
import sys, boto3
endpoint, key_id, secret, bucket = sys.argv[1:5]
s3 = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=key_id, aws_secret_access_key=secret, region_name='local')
for op, key in (('get_object', '4k.bin'), ('get_object', '64m.bin'), ('put_object', 'put-4k.bin'), ('put_object', 'put-64m.bin')):
    print(s3.generate_presigned_url(op, Params={'Bucket': bucket, 'Key': key}, ExpiresIn=3600))
