package dev.thumbnail.system.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU time and memory of a running process, read from {@code /proc} (Linux): user + system time of all its threads,
 * in milliseconds at the kernel's clock-tick resolution (10 ms at the usual 100 Hz), and per thread, grouped by the
 * thread's name without its number ("vert.x-eventloop-thread-1" counts as "vert.x-eventloop-thread"), which is how
 * the report says what a process spends its time on.
 */
final class ProcessCpu {

    /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux this runs on (x86-64 and arm64 kernels fix USER_HZ at 100). */
    private static final double MS_PER_TICK = 10.0;

    private final String name;
    private final long pid;

    ProcessCpu(String name, long pid) {
        this.name = name;
        this.pid = pid;
    }

    String name() {
        return name;
    }

    long pid() {
        return pid;
    }

    /** utime + stime of every thread so far, ms. */
    double cpuMillis() {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) * MS_PER_TICK;
    }

    /** CPU ms so far per thread group, largest first. */
    Map<String, Double> threadMillis() {
        Map<String, Double> groups = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String thread = Files.readString(task.resolve("comm")).strip();
                    groups.merge(group(thread), ticks(task.resolve("stat")) * MS_PER_TICK, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while it was being read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(name + " (pid " + pid + ") is gone", e);
        }
        return groups;
    }

    /** Resident set size now and at its peak, in MB: {@code VmRSS} and {@code VmHWM}. */
    double[] rssMb() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            return new double[] { kb(status, "VmRSS:") / 1024.0, kb(status, "VmHWM:") / 1024.0 };
        } catch (IOException e) {
            throw new IllegalStateException(name + " (pid " + pid + ") is gone", e);
        }
    }

    /**
     * Where a JVM's resident memory goes, in MB, from {@code jstat -gc} (the JDK's own tool, run against the pid): the
     * heap committed (survivors, eden, old), metaspace and compressed class space committed; the rest of the RSS is
     * code cache, thread stacks, CDS, and malloc by the JVM and native libraries. Empty for a process that is not a JVM
     * (Redis) or when jstat cannot attach.
     */
    Optional<double[]> jvmCommittedMb() {
        Path jstat = Path.of(System.getProperty("java.home"), "bin", "jstat");
        try {
            Process process = new ProcessBuilder(jstat.toString(), "-gc", Long.toString(pid)).redirectErrorStream(true)
                    .start();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .toList();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || lines.size() < 2) {
                return Optional.empty();
            }
            List<String> names = List.of(lines.get(0).strip().split("\\s+"));
            String[] values = lines.get(1).strip().split("\\s+");
            double heap = 0;
            for (String column : List.of("S0C", "S1C", "EC", "OC")) {
                heap += Double.parseDouble(values[names.indexOf(column)]);
            }
            double metaspace = Double.parseDouble(values[names.indexOf("MC")])
                    + Double.parseDouble(values[names.indexOf("CCSC")]);
            return Optional.of(new double[] { heap / 1024, metaspace / 1024 });
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    boolean alive() {
        return Files.exists(Path.of("/proc", Long.toString(pid)));
    }

    /** The change per thread group between two {@link #threadMillis()} readings, largest first. */
    static Map<String, Double> difference(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(), entry.getValue() - before.getOrDefault(entry.getKey(), 0.0)))
                .filter(entry -> entry.getValue() > 0)
                .sorted(Map.Entry.<String, Double> comparingByValue().reversed())
                .forEach(entry -> delta.put(entry.getKey(), entry.getValue()));
        return delta;
    }

    private static String group(String thread) {
        String trimmed = thread.replaceAll("[-# ]?\\d+$", "");
        return trimmed.isEmpty() ? thread : trimmed;
    }

    private static long ticks(Path stat) {
        try {
            String line = Files.readString(stat);
            // The command name may hold spaces and parentheses: the fields start after the last ')'.
            String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stat, e);
        }
    }

    private static long kb(List<String> status, String field) {
        return status.stream().filter(line -> line.startsWith(field)).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(0L);
    }
}
