package dev.imagery.image;

import java.util.UUID;

import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;

/**
 * One image process as stored in DynamoDB: its id, state, the optimistic-locking version, and the
 * S3 keys of what has been stored so far. A mutable bean because the enhanced client maps beans;
 * only {@link ImageRepository} changes one, and always through a {@link Transition}.
 */
@DynamoDbBean
public class Image {

    private UUID id;
    private Long version;
    private ImageState state;
    private Long created;
    private Long updated;
    private String rawS3Key;
    private String processedS3Key;
    private String thumbnailS3Key;
    private String failureReason;

    /** The image id, a random UUID; the table's partition key. */
    @DynamoDbPartitionKey
    public UUID getId() {
        return id;
    }

    public void setId(UUID id) {
        this.id = id;
    }

    /**
     * Incremented by every write and checked by the next one, so two writers that read the same
     * version cannot both win. Starts at 0 like the original Imagery.
     */
    @DynamoDbVersionAttribute(startAt = -1)
    public Long getVersion() {
        return version;
    }

    public void setVersion(Long version) {
        this.version = version;
    }

    public ImageState getState() {
        return state;
    }

    public void setState(ImageState state) {
        this.state = state;
    }

    /**
     * The state once more, but only while the image waits for a worker ({@code uploaded}); absent in every
     * other state. It keys the sparse index {@value ImageRepository#WAITING_INDEX}, which therefore holds just
     * the uploads in flight: the stuck-upload sweep reads those, not the whole table. Derived from the state,
     * so every write keeps the index right.
     */
    @DynamoDbSecondaryPartitionKey(indexNames = ImageRepository.WAITING_INDEX)
    public String getWaitingState() {
        return state == ImageState.UPLOADED ? state.toString() : null;
    }

    /** Ignored: the value is derived from {@link #getState()}. */
    public void setWaitingState(String ignored) {
        // derived
    }

    /** When the process was created, in epoch milliseconds (the original Imagery's format). */
    public Long getCreated() {
        return created;
    }

    public void setCreated(Long created) {
        this.created = created;
    }

    /** When the last transition was written, in epoch milliseconds; the waiting index's sort key. */
    @DynamoDbSecondarySortKey(indexNames = ImageRepository.WAITING_INDEX)
    public Long getUpdated() {
        return updated;
    }

    public void setUpdated(Long updated) {
        this.updated = updated;
    }

    public String getRawS3Key() {
        return rawS3Key;
    }

    public void setRawS3Key(String rawS3Key) {
        this.rawS3Key = rawS3Key;
    }

    public String getProcessedS3Key() {
        return processedS3Key;
    }

    public void setProcessedS3Key(String processedS3Key) {
        this.processedS3Key = processedS3Key;
    }

    public String getThumbnailS3Key() {
        return thumbnailS3Key;
    }

    public void setThumbnailS3Key(String thumbnailS3Key) {
        this.thumbnailS3Key = thumbnailS3Key;
    }

    /** Why a {@link ImageState#FAILED} image can never be processed, in words for a person. */
    public String getFailureReason() {
        return failureReason;
    }

    public void setFailureReason(String failureReason) {
        this.failureReason = failureReason;
    }

    Image copy() {
        Image copy = new Image();
        copy.id = id;
        copy.version = version;
        copy.state = state;
        copy.created = created;
        copy.updated = updated;
        copy.rawS3Key = rawS3Key;
        copy.processedS3Key = processedS3Key;
        copy.thumbnailS3Key = thumbnailS3Key;
        copy.failureReason = failureReason;
        return copy;
    }

    @Override
    public String toString() {
        return "Image[id=" + id + ", version=" + version + ", state=" + state + "]";
    }
}
