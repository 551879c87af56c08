// Reference oracle for the maven scheme tests (needs a JDK and Maven's maven-artifact jar, Debian
// package libmaven3-core-java). Run as a single-file program:
//   java -cp /usr/share/java/maven3-artifact.jar MavenCompare.java < pairs
// Reads "A<TAB>B" lines on stdin; prints "<", "=" or ">" per pair as Maven's own
// org.apache.maven.artifact.versioning.ComparableVersion orders the two versions.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenCompare {
  public static void main(String[] args) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) {
      int tab = line.indexOf('\t');
      ComparableVersion a = new ComparableVersion(line.substring(0, tab));
      ComparableVersion b = new ComparableVersion(line.substring(tab + 1));
      int c = a.compareTo(b);
      out.append(c < 0 ? "<" : c > 0 ? ">" : "=").append('\n');
    }
    System.out.print(out);
  }
}
