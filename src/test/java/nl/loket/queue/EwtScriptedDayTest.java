package nl.loket.queue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scripted hour run through the wait estimate: agents pull the longest waiting conversation
 * as soon as a slot frees, handle times are 2–8 minutes, arrivals are spread over the hour. At
 * each arrival the estimate for the new resident's position is recorded and later compared with
 * the wait they really had. Prints the figures; asserts only what the model promises.
 */
class EwtScriptedDayTest {

    record Result(int arrivals, double meanPredicted, double meanActual, double meanAbsoluteError, double withinRange) {
    }

    static Result simulate(int agents, int slotsEach, int arrivals, int hours, long seed) {
        Random random = new Random(seed);
        double[] arrival = new double[arrivals];
        for (int i = 0; i < arrivals; i++) {
            arrival[i] = random.nextDouble() * 3600 * hours;
        }
        Arrays.sort(arrival);
        double[] handle = new double[arrivals];
        for (int i = 0; i < arrivals; i++) {
            handle[i] = 120 + random.nextDouble() * 360;
        }
        // per agent, the end times of the conversations they hold
        // per agent: {end time, handle time} of each conversation held, earliest end first
        List<PriorityQueue<double[]>> held = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            held.add(new PriorityQueue<>(Comparator.comparingDouble(x -> x[0])));
        }
        List<Double> completedHandles = new ArrayList<>();
        List<Integer> queue = new ArrayList<>();
        double[] served = new double[arrivals];
        Integer[] predicted = new Integer[arrivals];
        // events: arrivals in order; slot releases computed lazily
        int next = 0;
        double now = 0;
        while (next < arrivals || !queue.isEmpty()) {
            double nextArrival = next < arrivals ? arrival[next] : Double.MAX_VALUE;
            double nextRelease = Double.MAX_VALUE;
            int releasing = -1;
            for (int a = 0; a < agents; a++) {
                double[] end = held.get(a).peek();
                if (end != null && end[0] < nextRelease) {
                    nextRelease = end[0];
                    releasing = a;
                }
            }
            if (nextArrival <= nextRelease) {
                now = nextArrival;
                queue.add(next);
                predicted[next] = WaitEstimate.seconds(queue.size(), capacity(held, slotsEach, now),
                        aht(completedHandles));
                next++;
            } else {
                now = nextRelease;
                // a closed conversation joins the handle-time history only now, as in the service
                completedHandles.add(held.get(releasing).poll()[1]);
            }
            // every agent with a free slot pulls the longest waiting conversation at once
            boolean pulled = true;
            while (pulled && !queue.isEmpty()) {
                pulled = false;
                for (int a = 0; a < agents && !queue.isEmpty(); a++) {
                    if (held.get(a).size() < slotsEach) {
                        int c = queue.remove(0);
                        served[c] = now;
                        held.get(a).add(new double[] {now + handle[c], handle[c]});
                        pulled = true;
                    }
                }
            }
        }
        double sumP = 0, sumA = 0, sumE = 0, within = 0;
        for (int i = 0; i < arrivals; i++) {
            double actual = served[i] - arrival[i];
            double p = predicted[i];
            sumP += p;
            sumA += actual;
            sumE += Math.abs(p - actual);
            // the widget shows a range, "about p/2 to 2p" (at least 0–5 minutes)
            double low = p / 2, high = Math.max(2 * p, 300);
            if (actual >= low && actual <= high) {
                within++;
            }
        }
        return new Result(arrivals, sumP / arrivals, sumA / arrivals, sumE / arrivals, within / arrivals);
    }

    private static List<WaitEstimate.Agent> capacity(List<PriorityQueue<double[]>> held, int slotsEach, double now) {
        return held.stream().map(h -> new WaitEstimate.Agent(slotsEach, h.size())).toList();
    }

    /** The last closed conversations' handle times, or the default before there are any. */
    private static double aht(List<Double> handles) {
        if (handles.isEmpty()) {
            return QueueService.DEFAULT_HANDLE_SECONDS;
        }
        List<Double> recent = handles.subList(Math.max(0, handles.size() - QueueService.HANDLE_TIME_SAMPLE), handles.size());
        return recent.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    void aScriptedHourOfFortyConversationsAndThreeAgents() {
        for (int slots : List.of(1, 2)) {
            Result r = simulate(3, slots, 40, 1, 42);
            System.out.printf("BENCH EWT scripted hour: 3 agents x %d slot(s), %d arrivals: mean predicted %.0f s, mean actual %.0f s, "
                            + "mean absolute error %.0f s, actual within shown range %.0f%%%n",
                    slots, r.arrivals(), r.meanPredicted(), r.meanActual(), r.meanAbsoluteError(), 100 * r.withinRange());
            assertThat(r.meanPredicted()).isGreaterThanOrEqualTo(0);
        }
        // a long stable run (load 0.83: 30 an hour on 3 single-slot agents)
        Result many = simulate(3, 1, 3000, 100, 7);
        System.out.printf("BENCH EWT 100 hours (3 agents x 1 slot, 30/h): mean predicted %.0f s, mean actual %.0f s, MAE %.0f s, within range %.0f%%%n",
                many.meanPredicted(), many.meanActual(), many.meanAbsoluteError(), 100 * many.withinRange());
        assertThat(many.meanPredicted()).isBetween(many.meanActual() / 2, many.meanActual() * 2);
    }

    @Test
    void theEstimateGrowsWithTheQueueAndShrinksWithMoreAgents() {
        List<WaitEstimate.Agent> three = List.of(new WaitEstimate.Agent(1, 1), new WaitEstimate.Agent(1, 1), new WaitEstimate.Agent(1, 1));
        List<WaitEstimate.Agent> six = new ArrayList<>(three);
        six.addAll(three);
        assertThat(WaitEstimate.seconds(6, three, 300)).isGreaterThan(WaitEstimate.seconds(3, three, 300));
        assertThat(WaitEstimate.seconds(6, six, 300)).isLessThan(WaitEstimate.seconds(6, three, 300));
        assertThat(Comparator.<Integer>naturalOrder().compare(WaitEstimate.seconds(1, three, 300), 100)).isZero();
    }
}
