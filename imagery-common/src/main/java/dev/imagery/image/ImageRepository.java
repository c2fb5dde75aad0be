package dev.imagery.image;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.UpdateItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The image table. Every write is one conditional request: the enhanced client's version attribute
 * adds {@code version = :expected}, and each {@link Transition} adds {@code state IN (its sources)}.
 * So a writer that lost a race gets an {@link ImageConflictException} holding the stored image,
 * never a silent overwrite.
 */
public class ImageRepository {

    /**
     * The table's sparse global secondary index of the images waiting for a worker: partition key
     * {@code waitingState} (present only in state {@code uploaded}), sort key {@code updated}, all attributes.
     */
    public static final String WAITING_INDEX = "waiting-by-updated";

    private static final TableSchema<Image> SCHEMA = TableSchema.fromBean(Image.class);

    private final DynamoDbTable<Image> table;
    private final DynamoDbIndex<Image> waiting;
    private final Clock clock;

    public ImageRepository(DynamoDbEnhancedClient dynamoDb, String tableName, Clock clock) {
        this.table = dynamoDb.table(tableName, SCHEMA);
        this.waiting = table.index(WAITING_INDEX);
        this.clock = clock;
    }

    /** Creates a new image in state {@code created}; fails rather than overwrite an existing id. */
    public Image create() {
        Image image = new Image();
        image.setId(UUID.randomUUID());
        image.setState(ImageState.CREATED);
        image.setCreated(clock.millis());
        image.setUpdated(image.getCreated());
        // A null version makes the version extension add attribute_not_exists(version): never overwrites.
        table.putItem(PutItemEnhancedRequest.builder(Image.class).item(image).build());
        image.setVersion(0L);
        return image;
    }

    /** The image as stored now (a strongly consistent read), or empty if there is none. */
    public Optional<Image> find(UUID id) {
        return Optional.ofNullable(table.getItem(GetItemEnhancedRequest.builder()
                .key(Key.builder().partitionValue(id.toString()).build())
                .consistentRead(true)
                .build()));
    }

    /**
     * Moves {@code expected} along {@code transition}, applying {@code change} to the stored fields,
     * in one conditional write: it succeeds only if the stored version is still the one read and the
     * stored state is one the transition may start from.
     *
     * @return the image as now stored, with its new version
     * @throws ImageConflictException if another writer got there first; it carries the stored image
     */
    public Image transition(Image expected, Transition transition, Consumer<Image> change) {
        Image next = expected.copy();
        change.accept(next);
        next.setState(transition.target());
        next.setUpdated(clock.millis());
        try {
            return table.updateItem(UpdateItemEnhancedRequest.builder(Image.class)
                    .item(next)
                    .conditionExpression(stateIn(transition))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
        } catch (ConditionalCheckFailedException e) {
            Image current = e.hasItem() ? SCHEMA.mapToItem(e.item()) : null;
            throw new ImageConflictException(transition, expected, current);
        }
    }

    /**
     * Images that entered {@code uploaded} before {@code before} and are still there: uploads whose message may
     * have been lost, oldest first, at most {@code limit}. A query of {@link #WAITING_INDEX}, so it reads only
     * uploads in flight, however many images the table holds (a filtered Scan of the whole table every minute
     * took DynamoDB Local 15 s of CPU at 190 000 images). The index is eventually consistent: an image it
     * returns may have moved on since, which the caller's conditional write finds out.
     */
    public List<Image> uploadedBefore(Instant before, int limit) {
        QueryConditional waitingSince = QueryConditional.sortLessThan(Key.builder()
                .partitionValue(ImageState.UPLOADED.toString())
                .sortValue(before.toEpochMilli())
                .build());
        return waiting.query(QueryEnhancedRequest.builder().queryConditional(waitingSince).limit(limit).build())
                .stream().flatMap(page -> page.items().stream()).limit(limit).toList();
    }

    private static Expression stateIn(Transition transition) {
        // Placeholder names of our own: the version extension brings its own and they must not clash.
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder in = new StringBuilder();
        for (ImageState source : transition.sources()) {
            String placeholder = ":imagery_from_" + source;
            values.put(placeholder, AttributeValue.fromS(source.toString()));
            in.append(in.isEmpty() ? "" : ", ").append(placeholder);
        }
        return Expression.builder()
                .expression("#imagery_state IN (" + in + ")")
                .putExpressionName("#imagery_state", "state")
                .expressionValues(values)
                .build();
    }
}
