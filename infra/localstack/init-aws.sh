#!/bin/bash
# Creates Imagery's AWS resources; safe to run again. docker-compose.localstack.yml mounts it
# into LocalStack's /etc/localstack/init/ready.d, where it runs with awslocal once LocalStack is
# ready. Elsewhere it uses the aws CLI and AWS_ENDPOINT_URL (e.g. http://127.0.0.1:4566).
# Names and settings are those of the team's contract, the same as the embedded local stack.
set -euo pipefail

table=imagery-image
bucket=imagery-images
queue=imagery-process
dead_letter_queue=imagery-process-dlq
region=${AWS_DEFAULT_REGION:-${AWS_REGION:-us-east-1}}

if command -v awslocal >/dev/null 2>&1; then
    aws=(awslocal --region "$region")
else
    aws=(aws --region "$region" ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"})
fi

# DynamoDB: partition key id (S), on demand, and the sparse index of uploads waiting for a worker.
if ! "${aws[@]}" dynamodb describe-table --table-name "$table" >/dev/null 2>&1; then
    "${aws[@]}" dynamodb create-table --table-name "$table" \
        --attribute-definitions AttributeName=id,AttributeType=S AttributeName=waitingState,AttributeType=S \
            AttributeName=updated,AttributeType=N \
        --key-schema AttributeName=id,KeyType=HASH \
        --global-secondary-indexes 'IndexName=waiting-by-updated,KeySchema=[{AttributeName=waitingState,KeyType=HASH},{AttributeName=updated,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
        --billing-mode PAY_PER_REQUEST >/dev/null
    "${aws[@]}" dynamodb wait table-exists --table-name "$table"
fi

# S3: private, encrypted.
if ! "${aws[@]}" s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
    if [ "$region" = us-east-1 ]; then
        "${aws[@]}" s3api create-bucket --bucket "$bucket" >/dev/null
    else
        "${aws[@]}" s3api create-bucket --bucket "$bucket" \
            --create-bucket-configuration "LocationConstraint=$region" >/dev/null
    fi
fi
"${aws[@]}" s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
"${aws[@]}" s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration \
    '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}'

# SQS: the dead-letter queue keeps messages 14 days; the main queue long-polls (20 s), hides a
# received message 60 s, and moves it to the dead-letter queue after 10 receives.
ensure_queue() {
    "${aws[@]}" sqs get-queue-url --queue-name "$1" --query QueueUrl --output text 2>/dev/null ||
        "${aws[@]}" sqs create-queue --queue-name "$1" --query QueueUrl --output text
}
dead_letter_queue_url=$(ensure_queue "$dead_letter_queue")
"${aws[@]}" sqs set-queue-attributes --queue-url "$dead_letter_queue_url" \
    --attributes MessageRetentionPeriod=1209600
dead_letter_queue_arn=$("${aws[@]}" sqs get-queue-attributes --queue-url "$dead_letter_queue_url" \
    --attribute-names QueueArn --query Attributes.QueueArn --output text)

queue_url=$(ensure_queue "$queue")
redrive="{\"deadLetterTargetArn\":\"$dead_letter_queue_arn\",\"maxReceiveCount\":\"10\"}"
"${aws[@]}" sqs set-queue-attributes --queue-url "$queue_url" --attributes \
    "{\"ReceiveMessageWaitTimeSeconds\":\"20\",\"VisibilityTimeout\":\"60\",\"RedrivePolicy\":\"${redrive//\"/\\\"}\"}"

echo "Imagery resources ready: table $table, bucket $bucket, queue $queue_url, dead-letter queue $dead_letter_queue_url"
