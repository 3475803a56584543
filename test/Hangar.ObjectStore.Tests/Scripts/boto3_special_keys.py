"""Keys with whitespace and XML/URL-special characters through PUT, LIST (V1, V2; encoding-type=url set by botocore,
set by hand, and absent), GET and multi-object DELETE (quiet and verbose)."""
import urllib.parse
from botocore.handlers import set_list_objects_encoding_type_url
from compat_common import BUCKET, client

KEYS = [' ', '"', '$', '%', '&', "'", '<', '>', '_', '_ ', '_ _', '__', '  two leading', 'trailing  ', 'tab\there',
        'new\nline', 'x&y<z>"q\'', 'ü ñ/é', '100%25', 'plus+sign', 'q?x=1#frag', 'semi;colon', '&amp;', ']]>']

s3 = client()
plain = client()
for op in ('ListObjects', 'ListObjectsV2'):
    plain.meta.events.unregister('before-parameter-build.s3.' + op, set_list_objects_encoding_type_url)


def listed(v2, mode):
    c = plain if mode == 'none' else s3
    args = {'Bucket': BUCKET}
    if mode == 'explicit':
        args['EncodingType'] = 'url'
    page = c.list_objects_v2(**args) if v2 else c.list_objects(**args)
    keys = [o['Key'] for o in page.get('Contents', [])]
    if mode == 'explicit':
        # botocore decodes only what it asked to have encoded itself.
        assert page['EncodingType'] == 'url', page
        keys = [urllib.parse.unquote(k) for k in keys]
    return keys


for quiet in (False, True):
    for k in KEYS:
        s3.put_object(Bucket=BUCKET, Key=k, Body=('body of ' + k).encode())
    expected = sorted(KEYS, key=lambda k: k.encode())
    for v2 in (False, True):
        for mode in ('auto', 'explicit', 'none'):
            got = listed(v2, mode)
            assert got == expected, (v2, mode, got)
    for k in KEYS:
        assert s3.get_object(Bucket=BUCKET, Key=k)['Body'].read() == ('body of ' + k).encode(), k
    result = s3.delete_objects(Bucket=BUCKET, Delete={'Objects': [{'Key': k} for k in KEYS], 'Quiet': quiet})
    assert not result.get('Errors'), result
    deleted = sorted(d['Key'] for d in result.get('Deleted', []))
    assert deleted == ([] if quiet else sorted(KEYS)), deleted
    assert 'Contents' not in s3.list_objects_v2(Bucket=BUCKET), 'keys left after DeleteObjects'
print('OK')
