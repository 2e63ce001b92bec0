package io.kvstore.benchmarks;

import java.util.Arrays;
import java.util.Objects;

/** The samples of one figure: a workload, data set, variant and system, in one unit. */
public final class Measurement {
  private final Workload workload;
  private final String dataset;
  private final String variant;
  private final String system;
  private final double[] samples;

  /**
   * @param workload which workload
   * @param dataset data set label
   * @param variant e.g. {@code 1 thread}; empty if the workload has one
   * @param system system or reference name
   * @param samples one figure per repetition, in {@link Workload#unit()}
   */
  public Measurement(Workload workload, String dataset, String variant, String system,
      double[] samples) {
    this.workload = Objects.requireNonNull(workload, "workload");
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.variant = Objects.requireNonNull(variant, "variant");
    this.system = Objects.requireNonNull(system, "system");
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples for " + system + " in " + workload);
    }
    this.samples = samples.clone();
  }

  /** The workload. */
  public Workload workload() {
    return workload;
  }

  /** The data set label. */
  public String dataset() {
    return dataset;
  }

  /** The variant, or empty. */
  public String variant() {
    return variant;
  }

  /** The system or reference name. */
  public String system() {
    return system;
  }

  /** A copy of the samples. */
  public double[] samples() {
    return samples.clone();
  }

  /** Median of the samples (mean of the middle two for an even count). */
  public double median() {
    return median(samples);
  }

  /** Median of {@code values}, which must not be empty. */
  public static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  @Override
  public String toString() {
    return workload + " " + dataset + " " + variant + " " + system + " " + median() + " "
        + workload.unit();
  }
}
