// Preload for running the original Node.js Imagery server (AWS in Action, 3rd ed., chapter 16; not in
// this repository) against the same AWS endpoints as Imagery: `node -r .../preload.cjs server.js`.
// Its aws-sdk v2 (2.1055) ignores AWS_ENDPOINT_URL, so the endpoint is set on the SDK's global
// configuration here; and its app.listen(port) binds every interface, so listen() is pinned to 127.0.0.1.
'use strict';
const AWS = require(require.resolve('aws-sdk', { paths: [process.cwd()] }));
const env = process.env;
const endpoint = (service) => env['AWS_ENDPOINT_URL_' + service] || env.AWS_ENDPOINT_URL;
if (endpoint('DYNAMODB') || endpoint('SQS') || endpoint('S3')) {
  AWS.config.update({
    dynamodb: { endpoint: endpoint('DYNAMODB') },
    sqs: { endpoint: endpoint('SQS') },
    s3: { endpoint: endpoint('S3'), s3ForcePathStyle: true },
  });
}
// The published server.js assigns its DynamoDB client to `constdb` (a missing space), so every route that
// reads the table fails with "db is not defined". The global it expects is provided here.
if (!('db' in global)) {
  global.db = new AWS.DynamoDB({});
}
const http = require('http');
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, ...rest) {
  if (typeof port === 'number' || typeof port === 'string') {
    const callback = rest.find((a) => typeof a === 'function');
    return listen.call(this, Number(port), '127.0.0.1', callback);
  }
  return listen.call(this, port, ...rest);
};
