package dev.imagery.infra;

import static dev.imagery.infra.Template.at;
import static dev.imagery.infra.Template.branches;
import static dev.imagery.infra.Template.getAtt;
import static dev.imagery.infra.Template.list;
import static dev.imagery.infra.Template.map;
import static dev.imagery.infra.Template.ref;
import static dev.imagery.infra.Template.sub;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What the service's fault tolerance and least privilege rest on, read from the template itself:
 * two zones, at least two API instances, readiness-gated signals, the redrive policy and its
 * alarm, IMDSv2, a private bucket, and every IAM action on an allow-list.
 */
class TemplateTest {

    /** Per role: each allowed action and the resources it may have ("bucket/raw/*" = ${ImageBucket.Arn}/raw/*). */
    static final Map<String, Map<String, Set<String>>> ALLOWED = Map.of(
            "ApiRole", Map.ofEntries(
                    entry("s3:PutObject", Set.of("bucket/raw/*")),
                    entry("s3:GetObject", Set.of("bucket/raw/*", "bucket/processed/*")),
                    entry("s3:DeleteObject", Set.of("bucket/raw/*")),
                    entry("s3:ListBucket", Set.of("bucket")),
                    entry("dynamodb:GetItem", Set.of("table")),
                    entry("dynamodb:PutItem", Set.of("table")),
                    entry("dynamodb:UpdateItem", Set.of("table")),
                    entry("dynamodb:Query", Set.of("table/index/waiting-by-updated")),
                    entry("sqs:SendMessage", Set.of("queue")),
                    entry("sqs:GetQueueUrl", Set.of("queue"))),
            "WorkerRole", Map.ofEntries(
                    entry("s3:GetObject", Set.of("bucket/raw/*")),
                    entry("s3:PutObject", Set.of("bucket/processed/*")),
                    entry("s3:ListBucket", Set.of("bucket")),
                    entry("dynamodb:GetItem", Set.of("table")),
                    entry("dynamodb:UpdateItem", Set.of("table")),
                    entry("sqs:ReceiveMessage", Set.of("queue")),
                    entry("sqs:DeleteMessage", Set.of("queue")),
                    entry("sqs:ChangeMessageVisibility", Set.of("queue")),
                    entry("sqs:GetQueueAttributes", Set.of("queue")),
                    entry("sqs:GetQueueUrl", Set.of("queue"))));

    private static final String SSM_CORE = "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore";

    private static final List<String> ENVIRONMENT_KEYS = List.of(
            "AWS_REGION=${AWS::Region}",
            "IMAGERY_TABLE=${ImageTable}",
            "IMAGERY_BUCKET=${ImageBucket}",
            "IMAGERY_QUEUE=${ProcessQueue}",
            "IMAGERY_DEAD_LETTER_QUEUE=${DeadLetterQueue}");

    private static Template template;

    @BeforeAll
    static void load() {
        template = Template.load(Repository.template());
    }

    @Test
    void fitsTheSizeThatDeployAcceptsWithoutAnS3Bucket() throws IOException {
        assertThat(Files.size(Repository.template()))
                .as("aws cloudformation deploy --template-file needs --s3-bucket above 51,200 bytes")
                .isLessThan(51_200);
    }

    // ------------------------------------------------------------ zones and fleets

    @Test
    void spreadsTheLoadBalancerAndBothFleetsOverTwoZones() {
        assertThat(zoneIndex("PublicSubnet1")).isNotEqualTo(zoneIndex("PublicSubnet2"));
        assertThat(zoneIndex("PrivateSubnet1")).isNotEqualTo(zoneIndex("PrivateSubnet2"));

        List<Object> loadBalancerSubnets = list(template.properties("LoadBalancer").get("Subnets"));
        assertThat(loadBalancerSubnets).map(Template::ref).containsExactlyInAnyOrder("PublicSubnet1", "PublicSubnet2");
        assertThat(template.properties("LoadBalancer")).containsEntry("Scheme", "internet-facing");

        for (String group : List.of("ApiGroup", "WorkerGroup")) {
            for (Object subnets : branches(template.properties(group).get("VPCZoneIdentifier"))) {
                List<String> ids = list(subnets).stream().map(Template::ref).toList();
                assertThat(ids).as(group + " subnets").hasSize(2);
                assertThat(zoneIndex(ids.get(0))).as(group + " zones").isNotEqualTo(zoneIndex(ids.get(1)));
            }
        }
    }

    @Test
    void keepsAtLeastTwoApiInstancesBehindReadinessHealthChecks() {
        Map<String, Object> api = template.properties("ApiGroup");
        assertThat(ref(api.get("MinSize"))).isEqualTo("ApiMinSize");
        Map<String, Object> minSize = template.parameter("ApiMinSize");
        assertThat(((Number) minSize.get("MinValue")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) minSize.get("Default")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(((Number) template.parameter("ApiMaxSize").get("MinValue")).intValue())
                .as("room above the minimum for a rolling update").isGreaterThan(2);

        assertThat(api).containsEntry("HealthCheckType", "ELB");
        assertThat((Integer) api.get("HealthCheckGracePeriod")).isPositive();
        assertThat(list(api.get("TargetGroupARNs"))).map(Template::ref).containsExactly("ApiTargetGroup");
        assertThat(api).doesNotContainKey("DesiredCapacity"); // scaling owns it; an update must not reset it

        Map<String, Object> targets = template.properties("ApiTargetGroup");
        assertThat(targets).containsEntry("Port", 8080).containsEntry("Protocol", "HTTP")
                .containsEntry("HealthCheckPath", "/actuator/health/readiness");

        Map<String, Object> worker = template.properties("WorkerGroup");
        assertThat(worker).containsEntry("HealthCheckType", "EC2").doesNotContainKey("TargetGroupARNs")
                .doesNotContainKey("DesiredCapacity");
        assertThat(ref(worker.get("MinSize"))).isEqualTo("WorkerMinSize");
        assertThat(((Number) template.parameter("WorkerMinSize").get("MinValue")).intValue()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void createsAndUpdatesTheFleetsOnlyAsFastAsInstancesReportReady() {
        for (String group : List.of("ApiGroup", "WorkerGroup")) {
            Map<String, Object> resource = template.resource(group);
            String minSize = group.equals("ApiGroup") ? "ApiMinSize" : "WorkerMinSize";
            assertThat(ref(at(resource, "CreationPolicy", "ResourceSignal", "Count"))).as(group).isEqualTo(minSize);
            Map<String, Object> rolling = map(at(resource, "UpdatePolicy", "AutoScalingRollingUpdate"));
            assertThat(rolling).as(group).containsEntry("WaitOnResourceSignals", true);
            assertThat(ref(rolling.get("MinInstancesInService"))).as(group).isEqualTo(minSize);
            assertThat((String) rolling.get("PauseTime")).as(group).startsWith("PT");

            // A new launch template version (a new AMI) must roll the group.
            assertThat(getAtt(at(template.properties(group), "LaunchTemplate", "Version")))
                    .isEqualTo(ref(at(template.properties(group), "LaunchTemplate", "LaunchTemplateId")) + ".LatestVersionNumber");
        }
    }

    @Test
    void launchesInstancesWithImdsV2EncryptedDisksNoKeyAndAReadinessGatedSignal() {
        Map<String, String> fleets = Map.of(
                "ApiLaunchTemplate", "ApiGroup imagery-api.service 8080",
                "WorkerLaunchTemplate", "WorkerGroup imagery-worker.service 8081");
        assertThat(template.ofType("AWS::EC2::LaunchTemplate")).containsExactlyInAnyOrderElementsOf(fleets.keySet());

        fleets.forEach((launchTemplate, fleet) -> {
            String[] parts = fleet.split(" ");
            String group = parts[0];
            String unit = parts[1];
            String port = parts[2];
            Map<String, Object> data = map(template.properties(launchTemplate).get("LaunchTemplateData"));

            assertThat(ref(data.get("ImageId"))).isEqualTo("AmiId");
            assertThat(template.parameter("AmiId")).containsEntry("Type", "AWS::EC2::Image::Id");
            assertThat(map(data.get("MetadataOptions"))).as(launchTemplate)
                    .containsEntry("HttpTokens", "required").containsEntry("HttpEndpoint", "enabled")
                    .containsEntry("HttpPutResponseHopLimit", 1);
            assertThat(data).as(launchTemplate + " must not install an SSH key").doesNotContainKey("KeyName");
            List<Object> disks = list(data.get("BlockDeviceMappings"));
            assertThat(disks).isNotEmpty();
            assertThat(disks).allSatisfy(disk -> assertThat(at(disk, "Ebs", "Encrypted")).isEqualTo(true));

            String userData = sub(at(data, "UserData", "Fn::Base64"));
            assertThat(userData).as(launchTemplate + " user data").isNotNull();
            for (String key : ENVIRONMENT_KEYS) {
                assertThat(userData).contains("\n" + key + "\n");
            }
            assertThat(userData).contains("/etc/imagery/imagery.env").contains("systemctl enable --now " + unit);
            int readiness = userData.indexOf("http://127.0.0.1:" + port + "/actuator/health/readiness");
            int success = userData.indexOf("cfn-signal -e 0");
            assertThat(readiness).as("waits for readiness").isPositive();
            assertThat(success).as("signals success only after readiness").isGreaterThan(readiness);
            assertThat(userData).contains("--resource " + group + " ").contains("set -euo pipefail")
                    .containsPattern("trap '[^']*cfn-signal -e 1 [^']*--resource " + group + " [^']*' ERR");
            assertThat(template.resource(group)).containsKey("CreationPolicy");
        });
    }

    @Test
    void scalesWorkersOnBacklogPerInstanceAndTheApiOnCpuAndRequests() {
        Map<String, Object> backlog = template.properties("WorkerBacklogScaling");
        assertThat(ref(backlog.get("AutoScalingGroupName"))).isEqualTo("WorkerGroup");
        assertThat(backlog).containsEntry("PolicyType", "TargetTrackingScaling");
        assertThat(ref(at(backlog, "TargetTrackingConfiguration", "TargetValue"))).isEqualTo("WorkerBacklogPerInstance");
        List<Object> metrics = list(at(backlog, "TargetTrackingConfiguration", "CustomizedMetricSpecification", "Metrics"));
        assertThat(metrics).map(metric -> at(metric, "MetricStat", "Metric", "MetricName"))
                .contains("ApproximateNumberOfMessagesVisible", "GroupInServiceInstances");
        assertThat(metrics).filteredOn(metric -> Boolean.TRUE.equals(at(metric, "ReturnData")))
                .singleElement().satisfies(metric -> assertThat((String) at(metric, "Expression")).contains("/ workers"));
        assertThat(list(template.properties("WorkerGroup").get("MetricsCollection"))).isNotEmpty();

        assertThat(template.ofType("AWS::AutoScaling::ScalingPolicy"))
                .filteredOn(id -> "ApiGroup".equals(ref(template.properties(id).get("AutoScalingGroupName"))))
                .map(id -> at(template.properties(id), "TargetTrackingConfiguration", "PredefinedMetricSpecification",
                        "PredefinedMetricType"))
                .containsExactlyInAnyOrder("ASGAverageCPUUtilization", "ALBRequestCountPerTarget");
    }

    // ------------------------------------------------------------ data

    @Test
    void redrivesFailingMessagesToADeadLetterQueueKeptFourteenDays() {
        Map<String, Object> queue = template.properties("ProcessQueue");
        assertThat(getAtt(at(queue, "RedrivePolicy", "deadLetterTargetArn"))).isEqualTo("DeadLetterQueue.Arn");
        assertThat(at(queue, "RedrivePolicy", "maxReceiveCount")).isEqualTo(10);
        assertThat(queue).containsEntry("ReceiveMessageWaitTimeSeconds", 20);
        assertThat(ref(queue.get("VisibilityTimeout"))).isEqualTo("QueueVisibilityTimeout");
        assertThat(((Number) template.parameter("QueueVisibilityTimeout").get("Default")).intValue())
                .as("above the worst processing time (about 150 s with the placeholder throughput)")
                .isGreaterThanOrEqualTo(180);

        Map<String, Object> deadLetters = template.properties("DeadLetterQueue");
        assertThat(deadLetters).containsEntry("MessageRetentionPeriod", 1_209_600);
        assertThat((Integer) queue.get("MessageRetentionPeriod"))
                .as("the dead-letter queue must keep messages longer than the queue").isLessThan(1_209_600);
        assertThat(queue).containsEntry("SqsManagedSseEnabled", true);
        assertThat(deadLetters).containsEntry("SqsManagedSseEnabled", true);
    }

    @Test
    void alarmsWhenTheDeadLetterQueueIsNotEmpty() {
        List<String> alarms = template.ofType("AWS::CloudWatch::Alarm").stream()
                .filter(id -> "DeadLetterQueue.QueueName".equals(
                        getAtt(at(template.properties(id), "Dimensions", 0, "Value"))))
                .toList();
        assertThat(alarms).hasSize(1);
        Map<String, Object> alarm = template.properties(alarms.get(0));
        assertThat(alarm).containsEntry("Namespace", "AWS/SQS")
                .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                .containsEntry("Threshold", 0)
                .containsEntry("EvaluationPeriods", 1);
        assertThat(list(alarm.get("AlarmActions"))).map(Template::ref).containsExactly("AlarmTopic");
        assertThat(template.type("AlarmTopic")).isEqualTo("AWS::SNS::Topic");
        Object subscription = template.properties("AlarmTopic").get("Subscription");
        assertThat(at(subscription, "Fn::If", 0)).isEqualTo("HasAlarmEmail");
        assertThat(at(subscription, "Fn::If", 1, 0, "Protocol")).isEqualTo("email");
        assertThat(ref(at(subscription, "Fn::If", 1, 0, "Endpoint"))).isEqualTo("AlarmEmail");
        assertThat(template.parameter("AlarmEmail")).containsEntry("Default", "");
    }

    @Test
    void keepsTheBucketPrivateEncryptedAndItsRawUploadsUnderALifecycle() {
        Map<String, Object> bucket = template.properties("ImageBucket");
        assertThat(map(bucket.get("PublicAccessBlockConfiguration"))).containsAllEntriesOf(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
        assertThat(at(bucket, "OwnershipControls", "Rules", 0, "ObjectOwnership")).isEqualTo("BucketOwnerEnforced");
        assertThat(at(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration", 0, "ServerSideEncryptionByDefault",
                "SSEAlgorithm")).isIn("AES256", "aws:kms", "aws:kms:dsse");
        assertThat(bucket).doesNotContainKeys("AccessControl", "WebsiteConfiguration");
        assertThat(list(at(bucket, "LifecycleConfiguration", "Rules")))
                .anySatisfy(rule -> assertThat(at(rule, "Prefix")).isEqualTo("raw/"));

        // The only bucket policy denies; nothing in the template grants access to anyone outside the roles.
        for (String policy : template.ofType("AWS::S3::BucketPolicy")) {
            assertThat(list(at(template.properties(policy), "PolicyDocument", "Statement")))
                    .allSatisfy(statement -> assertThat(at(statement, "Effect")).isEqualTo("Deny"));
        }
    }

    @Test
    void keepsTheTableOnDemandWithPointInTimeRecovery() {
        Map<String, Object> table = template.properties("ImageTable");
        assertThat(table).containsEntry("BillingMode", "PAY_PER_REQUEST");
        assertThat(at(table, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")).isEqualTo(true);
        assertThat(list(table.get("KeySchema"))).containsExactly(Map.of("AttributeName", "id", "KeyType", "HASH"));
        assertThat(list(table.get("AttributeDefinitions"))).containsExactlyInAnyOrder(
                Map.of("AttributeName", "id", "AttributeType", "S"),
                Map.of("AttributeName", "waitingState", "AttributeType", "S"),
                Map.of("AttributeName", "updated", "AttributeType", "N"));
    }

    /** What the API's sweep for stuck uploads queries, as ImageRepository reads it and the embedded stack makes it. */
    @Test
    void indexesOnlyTheImagesWaitingForAWorker() {
        assertThat(list(template.properties("ImageTable").get("GlobalSecondaryIndexes"))).containsExactly(Map.of(
                "IndexName", "waiting-by-updated",
                "KeySchema", List.of(Map.of("AttributeName", "waitingState", "KeyType", "HASH"),
                        Map.of("AttributeName", "updated", "KeyType", "RANGE")),
                "Projection", Map.of("ProjectionType", "ALL")));
    }

    // ------------------------------------------------------------ network access

    @Test
    void letsOnlyTheLoadBalancerReachTheApiAndNothingReachTheWorkers() {
        List<Object> internetRules = new ArrayList<>();
        List<Map<String, Object>> allIngress = new ArrayList<>();
        for (String group : template.ofType("AWS::EC2::SecurityGroup")) {
            for (Object rule : list(template.properties(group).get("SecurityGroupIngress"))) {
                Map<String, Object> withGroup = new LinkedHashMap<>(map(rule));
                withGroup.put("GroupId", Map.of("Fn::GetAtt", List.of(group, "GroupId")));
                allIngress.add(withGroup);
            }
        }
        for (String rule : template.ofType("AWS::EC2::SecurityGroupIngress")) {
            allIngress.add(template.properties(rule));
        }
        for (Map<String, Object> rule : allIngress) {
            String target = getAtt(rule.get("GroupId"));
            assertThat(rule.get("FromPort")).as("no SSH anywhere").isNotEqualTo(22);
            assertThat(rule.get("IpProtocol")).as("explicit protocols only").isEqualTo("tcp");
            if (rule.containsKey("CidrIp") || rule.containsKey("CidrIpv6")) {
                internetRules.add(rule.get("FromPort"));
                assertThat(target).as("only the ALB is open to addresses").isEqualTo("LoadBalancerSecurityGroup.GroupId");
            }
            if ("ApiSecurityGroup.GroupId".equals(target)) {
                assertThat(getAtt(rule.get("SourceSecurityGroupId"))).isEqualTo("LoadBalancerSecurityGroup.GroupId");
                assertThat(rule).containsEntry("FromPort", 8080).containsEntry("ToPort", 8080);
            }
            assertThat(target).as("nothing reaches the workers").isNotEqualTo("WorkerSecurityGroup.GroupId");
        }
        assertThat(internetRules).containsExactlyInAnyOrder(80, 443);
        assertThat(allIngress).anySatisfy(rule -> assertThat(getAtt(rule.get("GroupId"))).isEqualTo("ApiSecurityGroup.GroupId"));

        // Instances leave only on 443; the ALB only towards the API port.
        for (String group : List.of("ApiSecurityGroup", "WorkerSecurityGroup")) {
            assertThat(list(template.properties(group).get("SecurityGroupEgress")))
                    .singleElement().satisfies(rule -> assertThat(map(rule)).containsEntry("FromPort", 443).containsEntry("ToPort", 443));
        }
        assertThat(list(template.properties("LoadBalancerSecurityGroup").get("SecurityGroupEgress")))
                .singleElement().satisfies(rule -> assertThat(getAtt(at(rule, "DestinationSecurityGroupId")))
                        .isEqualTo("ApiSecurityGroup.GroupId"));
    }

    // ------------------------------------------------------------ IAM

    @Test
    void grantsEachFleetOnlyAllowListedActionsOnItsOwnResources() {
        assertThat(template.ofType("AWS::IAM::Role")).containsExactlyInAnyOrderElementsOf(ALLOWED.keySet());
        assertThat(template.ofType("AWS::IAM::Policy")).isEmpty();
        assertThat(template.ofType("AWS::IAM::ManagedPolicy")).isEmpty();
        assertThat(template.ofType("AWS::IAM::User")).isEmpty();

        ALLOWED.forEach((role, allowed) -> {
            Map<String, Object> properties = template.properties(role);
            assertThat(list(at(properties, "AssumeRolePolicyDocument", "Statement")))
                    .singleElement().satisfies(statement -> {
                        assertThat(at(statement, "Principal")).isEqualTo(Map.of("Service", "ec2.amazonaws.com"));
                        assertThat(at(statement, "Action")).isEqualTo("sts:AssumeRole");
                    });
            assertThat(list(properties.get("ManagedPolicyArns"))).map(Template::sub).containsExactly(SSM_CORE);

            Set<String> granted = new TreeSet<>();
            for (Object policy : list(properties.get("Policies"))) {
                for (Object statement : list(at(policy, "PolicyDocument", "Statement"))) {
                    Map<String, Object> s = map(statement);
                    assertThat(s).as(role).containsEntry("Effect", "Allow")
                            .doesNotContainKeys("NotAction", "NotResource", "NotPrincipal");
                    for (Object action : list(s.get("Action"))) {
                        for (Object resource : list(s.get("Resource"))) {
                            String where = resourceName(resource);
                            assertThat(allowed).as(role + " may not use " + action).containsKey((String) action);
                            assertThat(allowed.get(action)).as(role + ": " + action + " on " + where).contains(where);
                            granted.add((String) action);
                        }
                    }
                }
            }
            assertThat(granted).as(role + " has what its service calls").isEqualTo(new TreeSet<>(allowed.keySet()));
        });

        Set<String> profiles = new HashSet<>();
        for (String profile : template.ofType("AWS::IAM::InstanceProfile")) {
            profiles.addAll(list(template.properties(profile).get("Roles")).stream().map(Template::ref).toList());
        }
        assertThat(profiles).isEqualTo(ALLOWED.keySet());
    }

    // ------------------------------------------------------------ interface

    @Test
    void outputsWhatUsersAndOperatorsNeed() {
        Map<String, Object> outputs = template.section("Outputs");
        assertThat(outputs).containsKeys("EndpointURL", "BucketName", "TableName", "QueueUrl", "DeadLetterQueueUrl");
        assertThat(ref(at(outputs, "BucketName", "Value"))).isEqualTo("ImageBucket");
        assertThat(ref(at(outputs, "TableName", "Value"))).isEqualTo("ImageTable");
        assertThat(ref(at(outputs, "QueueUrl", "Value"))).isEqualTo("ProcessQueue");
        assertThat(ref(at(outputs, "DeadLetterQueueUrl", "Value"))).isEqualTo("DeadLetterQueue");
        assertThat(branches(at(outputs, "EndpointURL", "Value"))).map(Template::sub)
                .containsExactlyInAnyOrder("https://${LoadBalancer.DNSName}", "http://${LoadBalancer.DNSName}");
    }

    @Test
    void theApiKeepsIdleConnectionsOpenLongerThanTheLoadBalancerSoThatOnlyTheLoadBalancerClosesThem()
            throws IOException {
        int loadBalancerSeconds = list(template.properties("LoadBalancer").get("LoadBalancerAttributes")).stream()
                .map(Template::map)
                .filter(attribute -> "idle_timeout.timeout_seconds".equals(attribute.get("Key")))
                .map(attribute -> Integer.parseInt((String) attribute.get("Value")))
                .findFirst().orElse(60); // ELB's default
        Map<String, Object> api;
        Path settings = Repository.file("imagery-api/src/main/resources/application.yaml");
        try (Reader reader = Files.newBufferedReader(settings)) {
            api = new Yaml().load(reader);
        }
        String keepAlive = String.valueOf(at(api, "server", "tomcat", "keep-alive-timeout"));
        assertThat(keepAlive).as("the API's keep-alive timeout, in seconds").matches("\\d+s");
        int apiSeconds = Integer.parseInt(keepAlive.substring(0, keepAlive.length() - 1));
        assertThat(apiSeconds).isGreaterThan(loadBalancerSeconds);
    }

    @Test
    void servesHttpsWhenACertificateIsGiven() {
        Map<String, Object> https = template.resource("HttpsListener");
        assertThat(https).containsEntry("Condition", "HasCertificate");
        assertThat(map(https.get("Properties"))).containsEntry("Port", 443).containsEntry("Protocol", "HTTPS");
        assertThat((String) at(https, "Properties", "SslPolicy")).startsWith("ELBSecurityPolicy-TLS13");
        List<Object> httpActions = branches(template.properties("HttpListener").get("DefaultActions"));
        assertThat(httpActions).map(actions -> at(actions, 0, "Type")).containsExactly("redirect", "forward");
    }

    /** "bucket/raw/*", "bucket", "table", "table/index/…", "queue" for the forms the template uses; anything else as written. */
    private static String resourceName(Object resource) {
        Map<String, String> arns = Map.of("ImageBucket.Arn", "bucket", "ImageTable.Arn", "table", "ProcessQueue.Arn", "queue");
        String attribute = getAtt(resource);
        if (attribute != null && arns.containsKey(attribute)) {
            return arns.get(attribute);
        }
        String text = sub(resource);
        if (text != null && text.startsWith("${ImageBucket.Arn}/")) {
            return "bucket/" + text.substring("${ImageBucket.Arn}/".length());
        }
        if (text != null && text.startsWith("${ImageTable.Arn}/")) {
            return "table/" + text.substring("${ImageTable.Arn}/".length());
        }
        return String.valueOf(resource);
    }

    /** The n of AvailabilityZone: !Select [n, !GetAZs ""]. */
    private static Object zoneIndex(String subnet) {
        Object zone = template.properties(subnet).get("AvailabilityZone");
        assertThat(at(zone, "Fn::Select", 1)).as(subnet + " zone").isEqualTo(Map.of("Fn::GetAZs", ""));
        return at(zone, "Fn::Select", 0);
    }
}
