/*
 * EpubCheckBatch — runs EPUBCheck on many files in one JVM (starting the
 * JVM and loading the schemas costs far more than checking a small book).
 * Prints epubcheck's messages, then one summary line per file; exits 1 when
 * any file has a fatal error, an error or a warning.
 *
 *   java -cp /usr/share/java/epubcheck.jar EpubCheckBatch.java FILE...
 */
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckBatch {
    public static void main(String[] args) {
        int failed = 0;
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).validate();
            int fatals = report.getFatalErrorCount();
            int errors = report.getErrorCount();
            int warnings = report.getWarningCount();
            boolean ok = fatals == 0 && errors == 0 && warnings == 0;
            if (!ok)
                failed++;
            System.out.println((ok ? "OK   " : "FAIL ") + path + ": " + fatals + " fatals / "
                               + errors + " errors / " + warnings + " warnings");
        }
        System.out.println(args.length + " checked, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
