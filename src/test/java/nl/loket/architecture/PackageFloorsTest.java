package nl.loket.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house has floors (docs/architecture.md): a package may use packages on lower floors only.
 * The ground floor ({@code platform}) and configuration use no feature; features react to
 * signals through CDI events instead of the ground floor calling them. A new package must be
 * given its floor here on purpose.
 */
class PackageFloorsTest {

    static final String ROOT = "nl.loket.";

    /** Package → floor, bottom (1) to top. */
    static final Map<String, Integer> FLOORS = Map.ofEntries(
            Map.entry("platform", 1), Map.entry("config", 1), Map.entry("db", 1),
            Map.entry("security", 2), Map.entry("privacy", 2), Map.entry("queue", 2), Map.entry("ops", 2),
            Map.entry("audit", 3), Map.entry("events", 3), Map.entry("topic", 3), Map.entry("canned", 3), Map.entry("stats", 3),
            Map.entry("user", 4), Map.entry("transcript", 4), Map.entry("department", 4),
            Map.entry("conversation", 5),
            Map.entry("callback", 6), Map.entry("cluster", 6),
            Map.entry("retention", 7),
            Map.entry("resident", 8), Map.entry("agent", 8), Map.entry("web", 8));

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("nl.loket");

    @Test
    void everyPackageHasAFloor() {
        TreeSet<String> packages = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            packages.add(featureOf(c.getPackageName()));
        }
        assertThat(FLOORS.keySet()).containsAll(packages);
    }

    @Test
    void noPackageUsesAPackageOnItsOwnOrAHigherFloor() {
        List<String> upward = new ArrayList<>();
        for (JavaClass c : CLASSES) {
            String from = featureOf(c.getPackageName());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String target = d.getTargetClass().getPackageName();
                if (!target.startsWith(ROOT)) {
                    continue;
                }
                String to = featureOf(target);
                if (!to.equals(from) && FLOORS.getOrDefault(to, 99) >= FLOORS.getOrDefault(from, 0)) {
                    upward.add(from + " (" + FLOORS.get(from) + ") -> " + to + " (" + FLOORS.get(to) + "): " + d.getDescription());
                }
            }
        }
        assertThat(upward).as("imports that run against the floors").isEmpty();
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("nl.loket.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    private static String featureOf(String packageName) {
        String rest = packageName.startsWith(ROOT) ? packageName.substring(ROOT.length()) : packageName;
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
