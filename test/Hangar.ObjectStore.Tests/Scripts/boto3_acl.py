"""ACLs through boto3 the way the s3-tests suite drives them: explicit grants by id, e-mail and group,
GetAcl round trips, the errors S3 gives for bad ACL requests, and what each grant lets another account do.
Exits non-zero on the first failed assertion; prints OK at the end."""
import os, uuid
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = os.environ['AWS_ENDPOINT_URL_S3']
main_key, alt_key = os.environ['MAIN_KEY'], os.environ['ALT_KEY']
cfg = Config(retries={'max_attempts': 1})
main = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=main_key, aws_secret_access_key=os.environ['MAIN_SECRET'], region_name='local', config=cfg)
alt = boto3.client('s3', endpoint_url=endpoint, aws_access_key_id=alt_key, aws_secret_access_key=os.environ['ALT_SECRET'], region_name='local', config=cfg)

def new_bucket(client=main, **kw):
    name = 'acl-' + uuid.uuid4().hex[:12]
    client.create_bucket(Bucket=name, **kw)
    return name

def error(fn, *a, **kw):
    try:
        fn(*a, **kw)
    except ClientError as e:
        return e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code']
    raise AssertionError('expected an error from %s' % fn.__name__)

def denied(fn, *a, **kw):
    status, code = error(fn, *a, **kw)
    assert status == 403 and code == 'AccessDenied', (fn.__name__, status, code)

def grants(acl):
    return [(g['Permission'], g['Grantee']['Type'], g['Grantee'].get('ID') or g['Grantee'].get('URI'), g['Grantee'].get('DisplayName')) for g in acl['Grants']]

# Canonical ids: stable 64-hex ids with the access key id as display name, the same everywhere.
b = new_bucket()
acl = main.get_bucket_acl(Bucket=b)
main_id = acl['Owner']['ID']
assert len(main_id) == 64 and all(c in '0123456789abcdef' for c in main_id), main_id
assert acl['Owner']['DisplayName'] == main_key
assert grants(acl) == [('FULL_CONTROL', 'CanonicalUser', main_id, main_key)], grants(acl)
assert main.list_buckets()['Owner'] == {'ID': main_id, 'DisplayName': main_key}
alt_bucket = new_bucket(alt)
alt_id = alt.get_bucket_acl(Bucket=alt_bucket)['Owner']['ID']
assert alt_id != main_id
main.put_object(Bucket=b, Key='k', Body=b'data')
listed = main.list_objects(Bucket=b)['Contents'][0]['Owner']
assert listed == {'ID': main_id, 'DisplayName': main_key}, listed
assert main.list_objects_v2(Bucket=b, FetchOwner=True)['Contents'][0]['Owner']['ID'] == main_id
assert 'Owner' not in main.list_objects_v2(Bucket=b)['Contents'][0]

def policy_with(bucket, grant, get=main.get_bucket_acl, **kw):
    current = get(Bucket=bucket, **kw)
    return {'Owner': current['Owner'], 'Grants': current['Grants'] + [grant]}

# A grant by id for each permission, and exactly what it lets the other account do.
def alt_can(bucket):
    result = {}
    try:
        alt.head_bucket(Bucket=bucket); result['read'] = True
    except ClientError:
        result['read'] = False
    try:
        alt.get_bucket_acl(Bucket=bucket); result['read_acp'] = True
    except ClientError:
        result['read_acp'] = False
    try:
        alt.put_object(Bucket=bucket, Key='alt-write', Body=b'x'); result['write'] = True
    except ClientError:
        result['write'] = False
    try:
        alt.put_bucket_acl(Bucket=bucket, ACL='public-read')
        result['write_acp'] = True
    except ClientError as e:
        result['write_acp'] = False
    return result

expected = {
    'READ': {'read': True, 'read_acp': False, 'write': False, 'write_acp': False},
    'WRITE': {'read': False, 'read_acp': False, 'write': True, 'write_acp': False},
    'READ_ACP': {'read': False, 'read_acp': True, 'write': False, 'write_acp': False},
    'WRITE_ACP': {'read': False, 'read_acp': False, 'write': False, 'write_acp': True},
    'FULL_CONTROL': {'read': True, 'read_acp': True, 'write': True, 'write_acp': True},
}
for permission, want in expected.items():
    bucket = new_bucket()
    main.put_bucket_acl(Bucket=bucket, AccessControlPolicy=policy_with(bucket, {'Grantee': {'ID': alt_id, 'Type': 'CanonicalUser'}, 'Permission': permission}))
    got = grants(main.get_bucket_acl(Bucket=bucket))
    assert sorted(got) == sorted([('FULL_CONTROL', 'CanonicalUser', main_id, main_key), (permission, 'CanonicalUser', alt_id, alt_key)]), got
    got = alt_can(bucket)
    assert got == want, (permission, got)

# By e-mail (ACCESSKEYID@hangar.local): stored and shown as the canonical user.
bucket = new_bucket()
main.put_bucket_acl(Bucket=bucket, AccessControlPolicy=policy_with(bucket, {'Grantee': {'EmailAddress': alt_key.lower() + '@hangar.local', 'Type': 'AmazonCustomerByEmail'}, 'Permission': 'READ'}))
assert ('READ', 'CanonicalUser', alt_id, alt_key) in grants(main.get_bucket_acl(Bucket=bucket))
alt.list_objects(Bucket=bucket)

# Grant headers on an object: exactly the grants asked for, in header order for one grantee.
def grant_headers(request, **kw):
    # PutObject has no GrantWrite parameter, so the headers go in the way s3-tests adds them.
    for name, value in [('x-amz-grant-read', 'id=' + alt_id), ('x-amz-grant-write', 'id="%s"' % alt_id),
                        ('x-amz-grant-read-acp', 'emailAddress=%s@hangar.local' % alt_key),
                        ('x-amz-grant-write-acp', 'id=' + alt_id), ('x-amz-grant-full-control', 'id=' + alt_id)]:
        request.headers[name] = value
main.meta.events.register('before-sign.s3.PutObject', grant_headers)
main.put_object(Bucket=b, Key='hdr', Body=b'h')
main.meta.events.unregister('before-sign.s3.PutObject', grant_headers)
got = grants(main.get_object_acl(Bucket=b, Key='hdr'))
assert got == [(p, 'CanonicalUser', alt_id, alt_key) for p in ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP', 'FULL_CONTROL']], got
assert alt.get_object(Bucket=b, Key='hdr')['Body'].read() == b'h'
# The owner gave itself nothing, but keeps READ_ACP and WRITE_ACP on what it owns.
denied(main.get_object, Bucket=b, Key='hdr')
main.put_object_acl(Bucket=b, Key='hdr', ACL='private')
assert main.get_object(Bucket=b, Key='hdr')['Body'].read() == b'h'
denied(alt.get_object, Bucket=b, Key='hdr')

# Groups: AllUsers and AuthenticatedUsers through headers and through a body.
main.put_object_acl(Bucket=b, Key='k', GrantRead='uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"')
assert grants(main.get_object_acl(Bucket=b, Key='k')) == [('READ', 'Group', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers', None)]
assert alt.get_object(Bucket=b, Key='k')['Body'].read() == b'data'
main.put_object_acl(Bucket=b, Key='k', AccessControlPolicy={'Owner': {'ID': main_id}, 'Grants': [
    {'Grantee': {'Type': 'Group', 'URI': 'http://acs.amazonaws.com/groups/global/AllUsers'}, 'Permission': 'READ'},
    {'Grantee': {'Type': 'CanonicalUser', 'ID': main_id}, 'Permission': 'FULL_CONTROL'}]})
assert grants(main.get_object_acl(Bucket=b, Key='k')) == [('READ', 'Group', 'http://acs.amazonaws.com/groups/global/AllUsers', None), ('FULL_CONTROL', 'CanonicalUser', main_id, main_key)]

# Object canned ACLs that name the bucket owner, written by another account into a public-read-write bucket.
shared = new_bucket(ACL='public-read-write')
alt.put_object(Bucket=shared, Key='mine', Body=b'alt', ACL='bucket-owner-read')
assert sorted(grants(alt.get_object_acl(Bucket=shared, Key='mine'))) == sorted([('FULL_CONTROL', 'CanonicalUser', alt_id, alt_key), ('READ', 'CanonicalUser', main_id, main_key)])
assert main.get_object(Bucket=shared, Key='mine')['Body'].read() == b'alt'
denied(main.get_object_acl, Bucket=shared, Key='mine')
alt.put_object(Bucket=shared, Key='private-alt', Body=b'p')
denied(main.get_object, Bucket=shared, Key='private-alt')
assert main.list_objects(Bucket=shared)['Contents'][0]['Owner']['ID'] == alt_id

# Versioned objects: each version keeps its own ACL.
vb = new_bucket()
main.put_bucket_versioning(Bucket=vb, VersioningConfiguration={'Status': 'Enabled'})
v1 = main.put_object(Bucket=vb, Key='v', Body=b'one', ACL='public-read')['VersionId']
v2 = main.put_object(Bucket=vb, Key='v', Body=b'two')['VersionId']
assert alt.get_object(Bucket=vb, Key='v', VersionId=v1)['Body'].read() == b'one'
denied(alt.get_object, Bucket=vb, Key='v')
main.put_object_acl(Bucket=vb, Key='v', VersionId=v2, ACL='authenticated-read')
assert alt.get_object(Bucket=vb, Key='v')['Body'].read() == b'two'

# Multipart: the ACL given at CreateMultipartUpload applies at completion.
mpu = main.create_multipart_upload(Bucket=b, Key='mp', ACL='public-read')
part = main.upload_part(Bucket=b, Key='mp', UploadId=mpu['UploadId'], PartNumber=1, Body=b'multi')
main.complete_multipart_upload(Bucket=b, Key='mp', UploadId=mpu['UploadId'], MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': part['ETag']}]})
assert alt.get_object(Bucket=b, Key='mp')['Body'].read() == b'multi'
# CopyObject: the copy gets the ACL of the request, not the source's.
main.copy_object(Bucket=b, Key='mp-copy', CopySource={'Bucket': b, 'Key': 'mp'})
denied(alt.get_object, Bucket=b, Key='mp-copy')
main.copy_object(Bucket=b, Key='k-copy', CopySource={'Bucket': b, 'Key': 'hdr'}, ACL='public-read')
assert alt.get_object(Bucket=b, Key='k-copy')['Body'].read() == b'h'
denied(alt.copy_object, Bucket=alt_bucket, Key='stolen', CopySource={'Bucket': b, 'Key': 'hdr'})
alt.copy_object(Bucket=alt_bucket, Key='allowed', CopySource={'Bucket': b, 'Key': 'k-copy'})

# Errors.
bad_id = policy_with(b, {'Grantee': {'ID': '_foo', 'Type': 'CanonicalUser'}, 'Permission': 'READ'})
assert error(main.put_bucket_acl, Bucket=b, AccessControlPolicy=bad_id) == (400, 'InvalidArgument')
bad_mail = policy_with(b, {'Grantee': {'EmailAddress': 'doesnotexist@dreamhost.com.invalid', 'Type': 'AmazonCustomerByEmail'}, 'Permission': 'READ'})
assert error(main.put_bucket_acl, Bucket=b, AccessControlPolicy=bad_mail) == (400, 'UnresolvableGrantByEmailAddress')
assert error(main.put_object, Bucket=b, Key='x', Body=b'x', ACL='public-read', GrantRead='id=' + alt_id) == (400, 'InvalidRequest')
assert error(main.put_object, Bucket=b, Key='x', Body=b'x', GrantRead='id=' + '0' * 64) == (400, 'InvalidArgument')
assert error(main.create_bucket, Bucket='acl-' + uuid.uuid4().hex[:12], ACL='public-read', GrantRead='id=' + alt_id) == (400, 'InvalidRequest')
assert error(main.put_object, Bucket=b, Key='x', Body=b'x', ACL='no-such-acl') == (400, 'InvalidArgument')
body = {'b': None}
def swap(request, **kw):
    if body['b'] is not None:
        request.body = body['b']
        request.headers['Content-Length'] = str(len(body['b']))
main.meta.events.register('before-send.s3', swap)
body['b'] = b'<AccessControlPolicy><AccessControlList><Grant>'
assert error(main.put_bucket_acl, Bucket=b, AccessControlPolicy={'Owner': {'ID': main_id}, 'Grants': []}) == (400, 'MalformedACLError')
body['b'] = b'<AccessControlPolicy><AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>x</ID></Grantee><Permission>ROOT</Permission></Grant></AccessControlList></AccessControlPolicy>'
assert error(main.put_bucket_acl, Bucket=b, AccessControlPolicy={'Owner': {'ID': main_id}, 'Grants': []}) == (400, 'MalformedACLError')
body['b'] = None
def canned_too(request, **kw):
    request.headers['x-amz-acl'] = 'public-read'
main.meta.events.register('before-sign.s3.PutBucketAcl', canned_too)
assert error(main.put_bucket_acl, Bucket=b, AccessControlPolicy={'Owner': {'ID': main_id}, 'Grants': []}) == (400, 'UnexpectedContent')
main.meta.events.unregister('before-sign.s3.PutBucketAcl', canned_too)
# A failed ACL change left the bucket as it was.
assert grants(main.get_bucket_acl(Bucket=b)) == [('FULL_CONTROL', 'CanonicalUser', main_id, main_key)]

# Revoking every grant: the owner can no longer write objects but can still read and repair the ACL.
main.put_bucket_acl(Bucket=b, AccessControlPolicy={'Owner': {'ID': main_id}, 'Grants': []})
assert main.get_bucket_acl(Bucket=b)['Grants'] == []
denied(main.put_object, Bucket=b, Key='after', Body=b'a')
assert main.get_object(Bucket=b, Key='k')['Body'].read() == b'data'
main.put_bucket_acl(Bucket=b, ACL='private')
main.put_object(Bucket=b, Key='after', Body=b'a')
# Bucket settings stay the owner's even with FULL_CONTROL granted.
main.put_bucket_acl(Bucket=b, GrantFullControl='id=' + alt_id)
denied(alt.delete_bucket, Bucket=b)
denied(alt.put_bucket_versioning, Bucket=b, VersioningConfiguration={'Status': 'Enabled'})
print('OK')
