package io.voicebot.campaign.lists;

import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.Database;
import io.voicebot.store.DncStore;
import io.voicebot.store.ListStore;
import io.voicebot.store.TestDatabase;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * Imports a generated CSV of N rows (with bad rows, duplicates and do-not-call numbers) into a fresh database
 * (H2, or MySQL/MariaDB when VOICEBOT_TEST_DB_URL is set) and prints rows/s and the peak heap. Run it with a
 * small -Xmx to show the import's memory is bounded. Usage: ListImportBenchmark ROWS [WARM_UP_ROWS [WRITERS]]; a warm-up
 * import first stands for a server whose JIT has compiled the import before (the default measures a fresh JVM,
 * as the CLI runs it).
 */
public final class ListImportBenchmark {
    private static final String[] AREAS = {"201", "202", "203", "205", "206", "207", "208", "209", "210", "212",
        "213", "214", "215", "216", "217", "218", "219", "224", "225", "228", "229", "231", "234", "239", "240",
        "248", "251", "252", "253", "254", "256", "260", "262", "267", "269", "270", "276", "281", "301", "302",
        "303", "304", "305", "307", "308", "309", "310", "312", "313", "314", "315", "316", "317", "318", "319",
        "320", "321", "323", "325", "330", "331", "334", "336", "337", "339", "347", "351", "352", "360", "361",
        "907", "808", "617", "713", "415", "503", "512", "602", "702", "718"};

    public static void main(String[] args) throws Exception {
        int rows = Integer.parseInt(args.length > 0 ? args[0] : "1000000");
        int warmUp = Integer.parseInt(args.length > 1 ? args[1] : "0");
        // Writer threads: the importer's choice for the database unless given (to compare counts on one machine).
        Integer writers = args.length > 2 ? Integer.valueOf(args[2]) : null;
        Path file = Files.createTempFile("bench-import-", ".csv");
        try (TestDatabase tdb = TestDatabase.fresh()) {
            long bad = generate(file, rows);
            Database db = tdb.database();
            String backend = db.isH2() ? "H2 (embedded, file)" : "MariaDB/MySQL";
            DncStore dnc = new DncStore(db);
            // Every 997th number of the file is on the do-not-call list.
            for (int i = 0; i < rows; i += 997) {
                dnc.add(new DncStore.Entry(number(i), "bench", "api", null, Instant.now(), null));
            }
            ListStore store = new ListStore(db, Clock.systemUTC());
            ListImporter importer = new ListImporter(store, dnc, new PhoneNumbers("US"), Clock.systemUTC(),
                    writers == null ? store.importWriters() : writers);
            System.out.printf("%s: %d writer thread(s)%n", backend, writers == null ? store.importWriters() : writers);
            if (warmUp > 0) {
                Path small = Files.createTempFile("bench-warm-up-", ".csv");
                try {
                    generate(small, warmUp);
                    importer.importFile(small, new ImportRequest("warm-up", null, null, Set.of(), "warm-up.csv"));
                } finally {
                    Files.deleteIfExists(small);
                }
            }
            System.gc();
            resetPeaks();
            HeapSampler sampler = new HeapSampler();
            sampler.start();
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            double server0 = serverCpu();
            long main0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            ImportReport r = importer.importFile(file, new ImportRequest("bench", null, "payment_reminder",
                    Set.of("name", "amount", "due_date"), file.getFileName().toString()));
            double s = (System.nanoTime() - t0) / 1e9;
            double mainCpu = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - main0) / 1e9;
            double processCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double serverCpu = serverCpu() - server0;
            double gcSeconds = (gcMillis() - gc0) / 1e3;
            sampler.interrupt();
            sampler.join();
            System.out.printf("%s%s: %,d rows (%.1f MB, %,d bad written) in %.1f s = %,.0f rows/s; imported %,d, "
                            + "rejected %,d (duplicates %,d, do-not-call %,d); heap: max %d MB, peak used %d MB "
                            + "(sampled every 20 ms), peak of the heap pools %d MB%n", backend,
                    warmUp > 0 ? String.format(" after a %,d-row warm-up import", warmUp) : "", r.rows(),
                    Files.size(file) / 1e6, bad, s, r.rows() / s, r.imported(), r.rejected(), r.duplicates(),
                    r.doNotCall(), Runtime.getRuntime().maxMemory() >> 20, sampler.peak >> 20, poolPeaks() >> 20);
            System.out.printf("  CPU: reading and checking thread %.1f s, writer thread(s) %.1f s, whole JVM %.1f s "
                    + "(GC %.1f s of collector time)%s; heap after GC at most %d MB%n", mainCpu, sampler.writerCpu, processCpu,
                    gcSeconds,
                    Double.isNaN(serverCpu) ? "" : String.format(", database server %.1f s", serverCpu),
                    sampler.liveAfterGc() >> 20);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** CPU seconds of the database server process VOICEBOT_BENCH_DB_PID (Linux /proc), NaN when not given. */
    static double serverCpu() throws java.io.IOException {
        String pid = System.getenv("VOICEBOT_BENCH_DB_PID");
        if (pid == null || pid.isBlank()) {
            return Double.NaN;
        }
        String stat = Files.readString(Path.of("/proc", pid.strip(), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    static String number(int i) {
        int area = i % AREAS.length;
        int rest = i / AREAS.length;
        return "+1" + AREAS[area] + (200 + rest / 10_000 % 800) + String.format("%04d", rest % 10_000);
    }

    /** phone,name,amount,due_date,customer_id; about 2% bad rows of several kinds, 1% duplicates. */
    static long generate(Path file, int rows) throws Exception {
        long bad = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("Phone,Name,Amount,Due Date,Customer ID\r\n");
            for (int i = 0; i < rows; i++) {
                String e164 = number(i);
                String phone = switch (i % 4) {
                    case 0 -> e164;
                    case 1 -> "(" + e164.substring(2, 5) + ") " + e164.substring(5, 8) + "-" + e164.substring(8);
                    case 2 -> e164.substring(2, 5) + "." + e164.substring(5, 8) + "." + e164.substring(8);
                    default -> "1-" + e164.substring(2, 5) + "-" + e164.substring(5, 8) + "-" + e164.substring(8);
                };
                String amount = String.format("%d.%02d", 20 + i % 900, i % 100);
                if (i % 100 == 7) {
                    phone = "555-01" + (i % 10);            // local only
                    bad++;
                } else if (i % 100 == 13) {
                    amount = "";                            // a field the dialog needs
                    bad++;
                } else if (i % 100 == 29) {
                    phone = number(i - 1);                  // duplicate of the row before
                }
                w.write(phone);
                w.write(",\"Customer " + i + ", Jr.\",");
                w.write(amount);
                w.write(",2024-07-" + String.format("%02d", 1 + i % 28) + ",C" + (1_000_000 + i));
                if (i % 1000 == 999) {
                    w.write(",stray");                      // a column too many
                    bad++;
                }
                w.write("\r\n");
            }
        }
        return bad;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long poolPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Samples the heap in use every 20 ms, and records the heap right after every collection (what was live). */
    private static final class HeapSampler extends Thread {
        /** GC reports every memory pool (metaspace, code cache too); the heap is these. */
        private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        volatile long peak;
        private final java.util.concurrent.atomic.AtomicLong afterGc = new java.util.concurrent.atomic.AtomicLong();

        HeapSampler() {
            super("heap-sampler");
            setDaemon(true);
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc).addNotificationListener((n, h) -> {
                    if (n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo
                            .GARBAGE_COLLECTION_NOTIFICATION)) {
                        var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                                (javax.management.openmbean.CompositeData) n.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                .filter(e -> HEAP_POOLS.contains(e.getKey()))
                                .mapToLong(e -> e.getValue().getUsed()).sum();
                        afterGc.accumulateAndGet(used, Math::max);
                    }
                }, null, null);
            }
        }

        /** The most the heap held right after a collection: an upper bound of what the import kept live. */
        long liveAfterGc() {
            return afterGc.get();
        }

        /** CPU seconds of the importer's writer threads (all of them, summed), as last seen alive. */
        volatile double writerCpu;
        private final java.util.Map<Long, Double> writers = new java.util.HashMap<>();

        @Override
        public void run() {
            while (!isInterrupted()) {
                peak = Math.max(peak, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                Thread[] all = new Thread[Thread.activeCount() + 8];
                int n = Thread.enumerate(all);
                for (int i = 0; i < n; i++) {
                    Thread t = all[i];
                    if (t.getName().startsWith("list-import-writer")) {
                        long ns = ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
                        writers.merge(t.getId(), ns / 1e9, Math::max);
                        writerCpu = writers.values().stream().mapToDouble(Double::doubleValue).sum();
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
