package dev.thumbnail.testfixtures;

/** Reading a service's {@code /q/metrics} page (the Prometheus text format) in tests. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The sum of every series of the metric {@code name} (all its tags) in {@code metrics}; 0 when there is none. */
    public static double sum(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
