package dev.llmcalc.core.unit;

/** Decimal and binary byte units. GB means 10^9 bytes and GiB 2^30 bytes, always said explicitly. */
public final class Units {

    public static final long KB = 1_000L;

    public static final long MB = 1_000_000L;

    public static final long GB = 1_000_000_000L;

    public static final long TB = 1_000_000_000_000L;

    public static final long KIB = 1L << 10;

    public static final long MIB = 1L << 20;

    public static final long GIB = 1L << 30;

    public static final double SECONDS_PER_HOUR = 3_600.0;

    public static final double SECONDS_PER_DAY = 86_400.0;

    private Units() {
    }

    public static double toGB(long bytes) {
        return bytes / (double) GB;
    }

    public static double toGiB(long bytes) {
        return bytes / (double) GIB;
    }
}
