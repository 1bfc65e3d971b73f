package dev.llmcalc.core.hardware;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Who makes an accelerator in the catalog. */
public enum Vendor {

    NVIDIA, AMD, INTEL, GOOGLE;

    /** The vendor named {@code name}, case-insensitively ("amd", "Nvidia"); empty when there is none. */
    public static Optional<Vendor> find(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter((vendor) -> vendor.name().equals(wanted)).findFirst();
    }

    /** Every vendor's name, in catalog order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Vendor::name).toList();
    }
}
