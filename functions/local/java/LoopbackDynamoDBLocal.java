import java.io.IOException;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local bound to 127.0.0.1, living exactly as long as the Node process that started it.
 * Ctrl-C in a terminal signals the whole process group: this process ignores it, so the server's
 * orderly stop (its last writes, then SIGTERM here) is not cut short by a database already gone.
 * Its standard input is a pipe from that Node process: when the pipe closes, however Node ended, so
 * does this, and no Java is left holding the port.
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {});
    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() != -1) {}
      } catch (IOException e) {
        // A broken pipe is the parent gone too.
      }
      System.exit(0);
    });
    parentWatch.setDaemon(true);
    parentWatch.start();

    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost("127.0.0.1");
    proxy.start();
  }
}
