// Browser uploads with the AWS SDK for JavaScript v3: createPresignedPost from @aws-sdk/s3-presigned-post, posted
// with fetch + FormData as a web page does, then read back with @aws-sdk/client-s3; and two refusals (a body over
// content-length-range, a Content-Type outside starts-with). Prints OK at the end, exits non-zero on a failure.
const path = require('path');
const assert = require('assert');
const modules = process.env.NODE_S3_POST_MODULES;
const { S3Client, CreateBucketCommand, GetObjectCommand } = require(path.join(modules, '@aws-sdk/client-s3'));
const { createPresignedPost } = require(path.join(modules, '@aws-sdk/s3-presigned-post'));

(async () => {
  const client = new S3Client({
    endpoint: process.env.AWS_ENDPOINT_URL_S3, region: 'local', forcePathStyle: true,
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
  });
  const bucket = 'jspost-' + Math.random().toString(16).slice(2, 12);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const { url, fields } = await createPresignedPost(client, {
    Bucket: bucket, Key: 'avatars/${filename}', Expires: 300,
    Conditions: [['content-length-range', 1, 1024], ['starts-with', '$Content-Type', 'image/'], { success_action_status: '201' }],
    Fields: { 'Content-Type': 'image/png', success_action_status: '201' },
  });
  const send = async (overrides, bytes) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...fields, ...overrides })) form.append(k, v);
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'me.png');
    const response = await fetch(url, { method: 'POST', body: form });
    return { status: response.status, body: await response.text() };
  };
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const ok = await send({}, png);
  assert.strictEqual(ok.status, 201, ok.body);
  assert.match(ok.body, /<Key>avatars\/me\.png<\/Key>/);
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'avatars/me.png' }));
  assert.deepStrictEqual(Buffer.from(await got.Body.transformToByteArray()), png);
  assert.strictEqual(got.ContentType, 'image/png');

  const big = await send({}, Buffer.alloc(2048, 1));
  assert.strictEqual(big.status, 400, big.body);
  assert.match(big.body, /<Code>EntityTooLarge<\/Code>/);
  const html = await send({ 'Content-Type': 'text/html' }, png);
  assert.strictEqual(html.status, 403, html.body);
  assert.match(html.body, /Policy Condition failed/);
  console.log('OK');
})().catch(e => { console.error(e); process.exit(1); });
