package nl.loket.platform;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps of sets shared between event loops (a conversation's followers, a topic's waiting
 * residents), whose empty sets leave the map. An item is added inside the map's
 * {@code compute}: added to the set that {@code computeIfAbsent} returned, it could land in a set
 * that the removal of its last member was taking out of the map at that moment, and be held by
 * nobody (a resident whose new socket opened as their old one closed then heard nothing).
 */
public final class SetMaps {

    private SetMaps() {
    }

    public static <K, V> void add(ConcurrentHashMap<K, Set<V>> map, K key, V item) {
        map.compute(key, (k, set) -> {
            Set<V> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(item);
            return s;
        });
    }

    /** Removes the item; the set leaves the map when it is empty. */
    public static <K, V> void remove(ConcurrentHashMap<K, Set<V>> map, K key, V item) {
        map.computeIfPresent(key, (k, set) -> {
            set.remove(item);
            return set.isEmpty() ? null : set;
        });
    }
}
