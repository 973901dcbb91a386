package io.memsync.it;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Round-trip measurements shared by every system's scripted peer, so that each is timed the same way: on the
 * thread that made the request, from just before the request until that thread has the answer.
 */
public final class RoundTrips {

    /** Sends one request. */
    @FunctionalInterface
    public interface Request {
        /**
         * Sends request {@code value}, or makes it and waits for its answer.
         *
         * @param value the request's value
         * @throws Exception on failure
         */
        void send(long value) throws Exception;
    }

    private RoundTrips() {
    }

    /**
     * Ping-pong: sends {@code ping = target} and waits, on this thread, until the answer queue yields
     * {@code target} (values are fed to the queue by whatever observes the pong). Targets are {@code first},
     * {@code first + 1}, …: all distinct and different from any earlier value when {@code first} is above every
     * value set before, so no round can be answered by a stale pong.
     *
     * @param rounds  number of rounds
     * @param first   the first target
     * @param send    sets the ping
     * @param answers pong values as they are seen
     * @return the round trips, in nanoseconds
     * @throws Exception on failure, or when no pong comes within 30 s
     */
    public static long[] pingPong(int rounds, long first, Request send, BlockingQueue<Long> answers) throws Exception {
        long[] rtt = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long target = first + i;
            long t0 = System.nanoTime();
            send.send(target);
            while (true) {
                Long v = answers.poll(30, TimeUnit.SECONDS);
                if (v == null) {
                    throw new IllegalStateException("no pong for ping " + target + " (round " + i + ")");
                }
                if (v == target) {
                    rtt[i] = System.nanoTime() - t0;
                    break;
                }
            }
        }
        return rtt;
    }

    /**
     * Synchronous calls: each {@code call.send(i)} returns when the answer is in.
     *
     * @param rounds number of calls
     * @param call   makes one call and waits for it
     * @return the round trips, in nanoseconds
     * @throws Exception on failure
     */
    public static long[] calls(int rounds, Request call) throws Exception {
        long[] rtt = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            call.send(i);
            rtt[i] = System.nanoTime() - t0;
        }
        return rtt;
    }

    /**
     * Percentiles of the rounds {@code from} (inclusive) to the end, as a JSON object
     * {@code {"p50us":…,"p99us":…,"samples":…}} (microseconds, with one decimal).
     *
     * @param rtt  round trips in nanoseconds
     * @param from the first round counted
     * @return the JSON text
     */
    public static String percentiles(long[] rtt, int from) {
        long[] measured = Arrays.copyOfRange(rtt, Math.min(from, rtt.length - 1), rtt.length);
        Arrays.sort(measured);
        return "{\"p50us\":" + micros(measured[measured.length / 2]) + ",\"p99us\":"
                + micros(measured[(int) (measured.length * 0.99)]) + ",\"samples\":" + measured.length + "}";
    }

    private static String micros(long nanos) {
        return String.valueOf(Math.round(nanos / 100.0) / 10.0);
    }

    /**
     * The heap this process uses after a full collection (requested twice), in bytes: what the live data costs.
     *
     * @return used heap bytes
     */
    public static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
