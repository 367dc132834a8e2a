package nl.loket.platform;

import org.junit.jupiter.api.Test;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SetMapsTest {

    /**
     * A set whose next add lets the test in between (it says it is adding, then waits a moment for
     * the test's removal): the interleaving in which a socket opens as the last other one of its
     * conversation closes.
     */
    static final class PausingSet extends AbstractSet<String> {
        final Set<String> items = ConcurrentHashMap.newKeySet();
        final CountDownLatch adding = new CountDownLatch(1);
        final CountDownLatch removed = new CountDownLatch(1);

        @Override
        public boolean add(String item) {
            adding.countDown();
            try {
                removed.await(300, TimeUnit.MILLISECONDS); // the removal runs now, unless it has to wait for this add
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return items.add(item);
        }

        @Override
        public boolean remove(Object item) {
            return items.remove(item);
        }

        @Override
        public Iterator<String> iterator() {
            return items.iterator();
        }

        @Override
        public int size() {
            return items.size();
        }
    }

    @Test
    void anItemAddedWhileTheLastOtherOneIsRemovedStaysInTheMap() throws Exception {
        ConcurrentHashMap<String, Set<String>> followers = new ConcurrentHashMap<>();
        PausingSet set = new PausingSet();
        set.items.add("old socket");
        followers.put("conversation", set);

        Thread opening = new Thread(() -> SetMaps.add(followers, "conversation", "new socket"));
        opening.start();
        assertThat(set.adding.await(5, TimeUnit.SECONDS)).isTrue();
        SetMaps.remove(followers, "conversation", "old socket"); // the old socket closes while the new one is added
        set.removed.countDown();
        opening.join(5000);

        // added outside the map's compute, the new socket went into a set the removal had just taken out of the map
        assertThat(followers.get("conversation")).containsExactly("new socket");
    }

    @Test
    void aSetLeavesTheMapWithItsLastItemAndComesBackWithTheNext() {
        ConcurrentHashMap<String, Set<String>> waiting = new ConcurrentHashMap<>();
        SetMaps.add(waiting, "paspoort", "a");
        SetMaps.add(waiting, "paspoort", "b");
        SetMaps.remove(waiting, "paspoort", "a");
        assertThat(waiting.get("paspoort")).containsExactly("b");
        SetMaps.remove(waiting, "paspoort", "b");
        assertThat(waiting).doesNotContainKey("paspoort");
        SetMaps.remove(waiting, "paspoort", "b"); // nothing there: nothing happens
        SetMaps.add(waiting, "paspoort", "c");
        assertThat(waiting.get("paspoort")).containsExactly("c");
    }
}
