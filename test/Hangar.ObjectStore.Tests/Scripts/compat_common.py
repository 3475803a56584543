"""Shared by the compatibility scripts: clients built from the environment the tests set, and raw requests."""
import os, socket, urllib.parse, urllib.request, urllib.error
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ['AWS_ENDPOINT_URL_S3']
BUCKET = os.environ['BUCKET_NAME']
KEY_ID = os.environ['AWS_ACCESS_KEY_ID']
SECRET = os.environ['AWS_SECRET_ACCESS_KEY']
# Nothing from the test runner's environment may pick a region for the "no region" clients.
for name in ('AWS_DEFAULT_REGION', 'AWS_REGION'):
    os.environ.pop(name, None)


def client(region='auto', **config):
    return boto3.client('s3', endpoint_url=ENDPOINT, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
                        region_name=region, config=Config(retries={'max_attempts': 1}, **config))


def error(fn):
    """(HTTP status, S3 error code) of a call that must fail."""
    try:
        fn()
    except ClientError as e:
        return e.response['ResponseMetadata']['HTTPStatusCode'], e.response['Error']['Code']
    raise AssertionError('expected an error')


def fetch(url, method='GET', data=None, headers=None):
    """(status, body) of a plain HTTP request, errors included."""
    request = urllib.request.Request(url, method=method, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def raw(method, path, headers, body, wait_continue=False, timeout=30):
    """Sends exactly these bytes and returns everything the server answers until it closes
    (or b'<open>' appended when it keeps the connection open past the timeout)."""
    from botocore.auth import HmacV1Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    # Signed with the headers SigV2 covers (Content-MD5 among them); Content-Length is not one of them.
    request = AWSRequest(method=method, url=ENDPOINT + path, headers=headers)
    HmacV1Auth(Credentials(KEY_ID, SECRET)).add_auth(request)
    all_headers = dict(request.headers)
    host = urllib.parse.urlsplit(ENDPOINT)
    with socket.create_connection((host.hostname, host.port)) as s:
        s.settimeout(timeout)
        head = f'{method} {path} HTTP/1.1\r\nHost: {host.netloc}\r\n' + ''.join(f'{k}: {v}\r\n' for k, v in all_headers.items()) + '\r\n'
        s.sendall(head.encode())
        if wait_continue:
            interim = s.recv(100)
            assert interim.startswith(b'HTTP/1.1 100'), interim
        s.sendall(body)
        out = b''
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return out
                out += chunk
        except socket.timeout:
            return out + b'<open>'
