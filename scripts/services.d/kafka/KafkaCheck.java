// Health check for the local broker: a real metadata round trip through the
// Kafka admin client (the port alone answers long before the broker serves
// requests). Compiled once by scripts/services against .services/kafka/libs.
// Usage: java -cp 'libs/*:check' KafkaCheck 127.0.0.1:19092   (exit 0 = healthy)
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;

public final class KafkaCheck {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
    try (Admin admin = Admin.create(props)) {
      DescribeClusterResult cluster = admin.describeCluster();
      String id = cluster.clusterId().get(8, TimeUnit.SECONDS);
      int nodes = cluster.nodes().get(8, TimeUnit.SECONDS).size();
      int topics = admin.listTopics().names().get(8, TimeUnit.SECONDS).size();
      System.out.println("cluster " + id + ", " + nodes + " node(s), " + topics + " topic(s)");
    } catch (Exception e) {
      System.err.println("kafka check failed: " + e);
      System.exit(1);
    }
  }
}
