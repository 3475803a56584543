"""Listing edge cases: max-keys=0, an empty continuation-token, control characters and bytes that are not UTF-8 in
prefix/delimiter/marker, and ListBuckets pagination (max-buckets, continuation-token, prefix)."""
import re, urllib.parse
from compat_common import BUCKET, client, error

s3 = client()
keys = ['bar', 'baz', 'foo', 'quxx', 'dir/a', 'dir/b']
for k in keys:
    s3.put_object(Bucket=BUCKET, Key=k, Body=b'x')
everything = sorted(keys)

# max-keys=0: an empty page that is not truncated.
for page in (s3.list_objects(Bucket=BUCKET, MaxKeys=0), s3.list_objects_v2(Bucket=BUCKET, MaxKeys=0),
             s3.list_object_versions(Bucket=BUCKET, MaxKeys=0)):
    assert page['IsTruncated'] is False and 'Contents' not in page and 'Versions' not in page and 'CommonPrefixes' not in page, page

# An empty continuation-token is no token: the whole listing, the empty token echoed.
page = s3.list_objects_v2(Bucket=BUCKET, ContinuationToken='')
assert page['ContinuationToken'] == '' and page['IsTruncated'] is False, page
assert [o['Key'] for o in page['Contents']] == everything
page = s3.list_objects(Bucket=BUCKET, Marker='')
assert page['Marker'] == '' and [o['Key'] for o in page['Contents']] == everything, page

# Control characters in prefix, delimiter and marker come back as sent.
for v2 in (False, True):
    lister = s3.list_objects_v2 if v2 else s3.list_objects
    page = lister(Bucket=BUCKET, Prefix='\x0a')
    assert page['Prefix'] == '\x0a' and 'Contents' not in page, page
    page = lister(Bucket=BUCKET, Delimiter='\x0a')
    assert page['Delimiter'] == '\x0a' and [o['Key'] for o in page['Contents']] == everything, page
marker = s3.list_objects(Bucket=BUCKET, Marker='\x0a')
assert marker['Marker'] == '\x0a' and [o['Key'] for o in marker['Contents']] == everything, marker
start = s3.list_objects_v2(Bucket=BUCKET, StartAfter='\x0a')
assert start['StartAfter'] == '\x0a' and [o['Key'] for o in start['Contents']] == everything, start


# Bytes that are not UTF-8 (%FF) in prefix and marker: echoed byte for byte with encoding-type=url.
def raw_listing(query):
    captured = {}
    def rewrite(request, **kwargs):
        split = urllib.parse.urlsplit(request.url)
        request.url = urllib.parse.urlunsplit(split._replace(query=query))
    def keep(http_response, **kwargs):
        captured['body'] = http_response.content
    c = client(signature_version='s3')  # signs the path and sub-resources only, so the query can be rewritten
    c.meta.events.register('before-sign.s3.ListObjects', rewrite)
    c.meta.events.register('after-call.s3.ListObjects', keep)
    c.list_objects(Bucket=BUCKET)
    return captured['body'].decode()

body = raw_listing('prefix=a%FFb&encoding-type=url')
assert '<Prefix>a%FFb</Prefix>' in body and '<Contents>' not in body, body
body = raw_listing('marker=%FF&encoding-type=url')
assert '<Marker>%FF</Marker>' in body and '<Contents>' not in body, body  # 0xFF sorts after every UTF-8 key

# ListBuckets pagination. botocore 1.29 predates MaxBuckets, so the parameters go on the query by hand.
names = ['pg-' + BUCKET[:20] + '-' + s for s in ('a', 'b', 'c')]
for n in names:
    s3.create_bucket(Bucket=n)


def list_buckets(query):
    captured = {}
    c = client()
    c.meta.events.register('before-sign.s3.ListBuckets', lambda request, **kw: setattr(request, 'url', request.url.split('?')[0] + '?' + query))
    c.meta.events.register('after-call.s3.ListBuckets', lambda http_response, **kw: captured.update(body=http_response.content.decode()))
    c.list_buckets()
    body = captured['body']
    token = re.search(r'<ContinuationToken>(.*?)</ContinuationToken>', body)
    prefix = re.search(r'<Prefix>(.*?)</Prefix>', body)
    return re.findall(r'<Name>(.*?)</Name>', body), token.group(1) if token else None, prefix.group(1) if prefix else None

prefix = 'pg-' + BUCKET[:20]
page, token, echoed = list_buckets('max-buckets=2&prefix=' + prefix)
assert page == names[:2] and token and echoed == prefix, (page, token, echoed)
page, token, echoed = list_buckets('max-buckets=2&prefix=' + prefix + '&continuation-token=' + urllib.parse.quote(token))
assert page == names[2:] and token is None and echoed == prefix, (page, token, echoed)
page, token, _ = list_buckets('prefix=' + prefix)
assert page == names and token is None, page
assert error(lambda: list_buckets('max-buckets=0')) == (400, 'InvalidArgument')
for n in names:
    s3.delete_bucket(Bucket=n)
print('OK')
