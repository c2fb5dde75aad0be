#!/bin/bash
# Deletes every object version and delete marker of a bucket, so that deleting the stack can
# delete the (versioned) bucket. Irreversible: the images are gone.
#   infra/scripts/empty-bucket.sh "$(aws cloudformation describe-stacks --stack-name imagery \
#       --query "Stacks[0].Outputs[?OutputKey=='BucketName'].OutputValue" --output text)"
# Honours AWS_ENDPOINT_URL (emulators) and the usual AWS_REGION / AWS_PROFILE settings.
set -euo pipefail

bucket=${1:?usage: $0 BUCKET}
aws=(aws ${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"})

# At most 500 versions plus 500 delete markers a round: DeleteObjects takes 1000 keys at most.
query='{Objects: [Versions[].{Key: Key, VersionId: VersionId}, DeleteMarkers[].{Key: Key, VersionId: VersionId}][], Quiet: `true`}'
deleted=0
while :; do
    batch=$("${aws[@]}" s3api list-object-versions --bucket "$bucket" --max-items 500 --query "$query" --output json)
    count=$(grep -c '"Key"' <<<"$batch" || true)
    [ "$count" -gt 0 ] || break
    "${aws[@]}" s3api delete-objects --bucket "$bucket" --delete "$batch" >/dev/null
    deleted=$((deleted + count))
done
echo "Deleted $deleted object versions and delete markers from $bucket"
