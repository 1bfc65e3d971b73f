package dev.llmcalc.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.Vendor;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.Units;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * {@code cluster.gpu}, in one of four forms:
 * <ul>
 * <li>a preset id (a JSON string), or {@code {"preset": "..."}} the way {@code model} names one;</li>
 * <li>a GPU described by its figures: {@code memoryBytes}, {@code peakFlops} (one dense BF16 number, or the
 * per-data-type map {@code GET /api/v1/gpus/{id}} answers), {@code intraNodeBandwidth},
 * {@code interNodeBandwidth}, and optionally the catalog's other fields; a catalog entry pasted as it is
 * answers exactly as its id does (its {@code id}, {@code name}, {@code vendor} and {@code source} describe it and
 * change no number);</li>
 * <li>{@code {"base": "<preset id>", ...}}: that preset with the figures given replaced ({@code peakFlops}
 * entries replace the base's entries of the same data types; a single number is the BF16 entry).</li>
 * </ul>
 * A preset together with figures, without {@code base}, is refused: it would be unclear which wins.
 */
@Schema(description = "A preset id such as \"h100-sxm-80gb\", or an object: {\"preset\": id}, a described GPU "
        + "(the GET /api/v1/gpus/{id} object is accepted as it is), or {\"base\": id, ...figures to override}")
public record GpuChoice(
        @Schema(description = "catalog id, case-insensitive", example = "h100-sxm-80gb") @Size(min = 1, max = 100) String preset,
        @Schema(description = "catalog id whose figures the other fields override", example = "h100-sxm-80gb")
        @Size(min = 1, max = 100) String base,
        @Schema(description = "descriptive only (a catalog entry's id); the GPU is identified as custom")
        @Size(max = 100) String id,
        @Schema(description = "descriptive only") @Size(max = 200) String name,
        @Schema(description = "descriptive only") Vendor vendor,
        @Schema(description = "device memory, bytes (an \"80 GB\" HBM GPU has 80·2^30)") @Positive Long memoryBytes,
        @Schema(description = "device memory in GiB (2^30 bytes), instead of memoryBytes or agreeing with it")
        @Positive @DecimalMax("1e9") Double memoryGiB,
        @Schema(description = "dense (no sparsity) peak FLOP/s: one number (BF16) or a map by data type "
                + "(BF16 required, FP16, FP8, TF32, FP32, INT8, INT4)") PeakFlops peakFlops,
        @Schema(description = "device-memory bandwidth, bytes/s", example = "3.35e12")
        @Positive @DecimalMax("1e16") Double memoryBandwidth,
        @Schema(description = "bytes/s per GPU per direction to GPUs in its node", example = "450e9")
        @Positive @DecimalMax("1e16") Double intraNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to other nodes", example = "50e9")
        @Positive @DecimalMax("1e16") Double interNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to the host CPU (PCIe or NVLink-C2C)", example = "64e9")
        @Positive @DecimalMax("1e16") Double hostLinkBandwidth,
        @Schema(description = "rated board power (TDP), watts", example = "700") @Positive @Max(100_000) Integer boardPowerWatts,
        @Schema(description = "GPUs sharing the intra-node links; the default for cluster.gpusPerNode [8]")
        @Positive @Max(1_000_000) Integer gpusPerNode,
        @Schema(description = "CPU memory of the usual node, bytes: what offloaded states must fit in (0 or absent: "
                + "unknown; cluster.hostMemoryBytesPerNode overrides it for one request)", example = "2199023255552")
        @PositiveOrZero @Max(MAX_HOST_MEMORY_BYTES) Long hostMemoryBytesPerNode,
        @Schema(description = "streaming multiprocessors (AMD: compute units) running a GEMM's thread blocks, for tile "
                + "and wave quantization (0 or absent: unknown, not priced)", example = "132")
        @PositiveOrZero @Max(100_000) Integer multiprocessors,
        @Schema(description = "descriptive only") @Size(max = 1000) String source) {

    private static final int SUGGESTIONS = 3;

    /** Larger than any node's CPU memory (10^18 bytes, an exabyte), as for the other request sizes. */
    public static final long MAX_HOST_MEMORY_BYTES = 1_000_000_000_000_000_000L;

    /** Larger than any accelerator's peak (10^21 FLOP/s = 1 zettaFLOP/s), as for the other request rates. */
    static final double MAX_PEAK_FLOPS = 1e21;

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public GpuChoice {
    }

    /** The string form: a preset id. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static GpuChoice ofPreset(String preset) {
        return new GpuChoice(preset, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /**
     * @param field where it sits in the request (e.g. "cluster.gpu"), for error messages
     */
    public GpuSpec toCore(String field) {
        if (this.preset != null) {
            if (this.base != null || describes()) {
                throw new BadRequestException(field, "must be a preset id or a described GPU, not both (use \"base\" "
                        + "to override a preset's figures)");
            }
            return preset(this.preset, field);
        }
        Long bytes = memory(field);
        Map<DType, Double> peaks = this.peakFlops != null ? this.peakFlops.byType(field + ".peakFlops") : null;
        if (this.base != null) {
            return overridden(preset(this.base, field + ".base"), bytes, peaks);
        }
        requirePresent(bytes, field + ".memoryBytes");
        requirePresent(peaks, field + ".peakFlops");
        if (!peaks.containsKey(DType.BF16)) {
            throw new BadRequestException(field + ".peakFlops.BF16", "is required (the dense BF16 peak every time "
                    + "and MFU figure uses)");
        }
        requirePresent(this.intraNodeBandwidth, field + ".intraNodeBandwidth");
        requirePresent(this.interNodeBandwidth, field + ".interNodeBandwidth");
        try {
            return new GpuSpec("custom", this.name != null ? this.name : "GPU described in the request", this.vendor,
                    bytes, peaks, orZero(this.memoryBandwidth), this.intraNodeBandwidth, this.interNodeBandwidth,
                    orZero(this.hostLinkBandwidth), this.boardPowerWatts != null ? this.boardPowerWatts : 0,
                    this.gpusPerNode != null ? this.gpusPerNode : Cluster.DEFAULT_GPUS_PER_NODE,
                    this.hostMemoryBytesPerNode != null ? this.hostMemoryBytesPerNode : 0,
                    this.multiprocessors != null ? this.multiprocessors : 0,
                    this.source != null ? this.source : "the request");
        }
        catch (InvalidInputException ex) {
            throw ex.under(field + ".");
        }
    }

    /** Whether any figure (not only descriptive fields) is given. */
    private boolean describes() {
        return this.memoryBytes != null || this.memoryGiB != null || this.peakFlops != null
                || this.memoryBandwidth != null || this.intraNodeBandwidth != null || this.interNodeBandwidth != null
                || this.hostLinkBandwidth != null || this.boardPowerWatts != null || this.gpusPerNode != null
                || this.hostMemoryBytesPerNode != null || this.multiprocessors != null
                || this.id != null || this.name != null || this.vendor != null || this.source != null;
    }

    /** memoryBytes, or memoryGiB × 2^30 when it is a whole number of bytes; both given must agree. */
    private Long memory(String field) {
        if (this.memoryGiB == null) {
            return this.memoryBytes;
        }
        BigDecimal bytes = BigDecimal.valueOf(this.memoryGiB).multiply(BigDecimal.valueOf(Units.GIB));
        if (bytes.stripTrailingZeros().scale() > 0) {
            throw new BadRequestException(field + ".memoryGiB", "is not a whole number of bytes (× 2^30); give "
                    + "memoryBytes instead");
        }
        long fromGiB = bytes.longValueExact();
        if (this.memoryBytes != null && this.memoryBytes != fromGiB) {
            throw new BadRequestException(field + ".memoryGiB", "is " + this.memoryGiB + " GiB = " + fromGiB
                    + " bytes, but memoryBytes is " + this.memoryBytes + "; give one of them");
        }
        return fromGiB;
    }

    private GpuSpec overridden(GpuSpec base, Long bytes, Map<DType, Double> peaks) {
        Map<DType, Double> merged = new EnumMap<>(base.densePeakFlops());
        if (peaks != null) {
            merged.putAll(peaks);
        }
        List<String> changed = new ArrayList<>();
        note(changed, "memoryBytes", bytes);
        note(changed, "peakFlops", peaks);
        note(changed, "memoryBandwidth", this.memoryBandwidth);
        note(changed, "intraNodeBandwidth", this.intraNodeBandwidth);
        note(changed, "interNodeBandwidth", this.interNodeBandwidth);
        note(changed, "hostLinkBandwidth", this.hostLinkBandwidth);
        note(changed, "boardPowerWatts", this.boardPowerWatts);
        note(changed, "gpusPerNode", this.gpusPerNode);
        note(changed, "hostMemoryBytesPerNode", this.hostMemoryBytesPerNode);
        note(changed, "multiprocessors", this.multiprocessors);
        String overrides = changed.isEmpty() ? "none" : String.join(", ", changed);
        return new GpuSpec(base.id() + "+overrides", this.name != null ? this.name : base.name(),
                this.vendor != null ? this.vendor : base.vendor(), bytes != null ? bytes : base.memoryBytes(), merged,
                this.memoryBandwidth != null ? this.memoryBandwidth : base.memoryBandwidth(),
                this.intraNodeBandwidth != null ? this.intraNodeBandwidth : base.intraNodeBandwidth(),
                this.interNodeBandwidth != null ? this.interNodeBandwidth : base.interNodeBandwidth(),
                this.hostLinkBandwidth != null ? this.hostLinkBandwidth : base.hostLinkBandwidth(),
                this.boardPowerWatts != null ? this.boardPowerWatts : base.boardPowerWatts(),
                this.gpusPerNode != null ? this.gpusPerNode : base.gpusPerNode(),
                this.hostMemoryBytesPerNode != null ? this.hostMemoryBytesPerNode
                        : Cluster.usualHostMemory(base, this.gpusPerNode != null ? this.gpusPerNode : base.gpusPerNode()),
                this.multiprocessors != null ? this.multiprocessors : base.multiprocessors(),
                base.source() + "; overridden in the request: " + overrides);
    }

    private static void note(List<String> changed, String name, Object value) {
        if (value != null) {
            changed.add(name);
        }
    }

    private static GpuSpec preset(String id, String field) {
        return GpuPresets.find(id)
                .orElseThrow(() -> UnknownPresetException.gpu(field, id, GpuPresets.closestIds(id, SUGGESTIONS)));
    }

    private static double orZero(Double value) {
        return value != null ? value : 0;
    }

    private static void requirePresent(Object value, String field) {
        if (value == null) {
            throw new BadRequestException(field, "is required for a described GPU (or give a preset id, or a \"base\" "
                    + "preset to override)");
        }
    }

    /**
     * {@code peakFlops}: one number (the dense BF16 peak, as before) or a map from data type to dense peak,
     * the shape {@code GET /api/v1/gpus/{id}} answers.
     *
     * @param entries data type name as written → FLOP/s as written (null values kept, to be named)
     * @param single whether it was one number
     */
    @Schema(types = { "number", "object" }, additionalPropertiesSchema = Double.class,
            description = "dense peak FLOP/s: one number (BF16) or {\"BF16\": 9.89e14, \"FP8\": 1.979e15, ...}")
    @JsonDeserialize(using = PeakFlops.Reader.class)
    public record PeakFlops(@Schema(hidden = true) Map<String, Double> entries, @Schema(hidden = true) boolean single) {

        /** The per-data-type form, as the catalog answers it. */
        public static PeakFlops of(Map<String, Double> entries) {
            return new PeakFlops(entries, false);
        }

        /** One number: the dense BF16 peak. */
        public static PeakFlops bf16(double flops) {
            Map<String, Double> entries = new LinkedHashMap<>();
            entries.put(DType.BF16.name(), flops);
            return new PeakFlops(entries, true);
        }

        /** The entries by data type, each a positive FLOP/s below 10^21, or a 400 naming the entry. */
        Map<DType, Double> byType(String field) {
            Map<DType, Double> peaks = new EnumMap<>(DType.class);
            this.entries.forEach((name, flops) -> {
                String entry = this.single ? field : field + "." + name;
                DType type = dtype(name, entry);
                if (flops == null || !(flops > 0) || flops > MAX_PEAK_FLOPS) {
                    throw new BadRequestException(entry, "must be a positive number of FLOP/s up to 1e21");
                }
                if (peaks.put(type, flops) != null) {
                    throw new BadRequestException(entry, "repeats data type " + type);
                }
            });
            return peaks;
        }

        private static DType dtype(String name, String field) {
            try {
                return DType.valueOf(name.trim().toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                throw new BadRequestException(field, "is not a data type; one of " + List.of(DType.values()));
            }
        }

        /** Reads a JSON number as the BF16 peak and a JSON object as the map; anything else is a 400 naming it. */
        static final class Reader extends ValueDeserializer<PeakFlops> {

            @Override
            public PeakFlops deserialize(JsonParser parser, DeserializationContext context) {
                if (parser.currentToken().isNumeric()) {
                    return bf16(parser.getDoubleValue());
                }
                if (parser.currentToken() == JsonToken.START_OBJECT) {
                    JavaType map = context.getTypeFactory().constructMapType(LinkedHashMap.class, String.class,
                            Double.class);
                    return of(context.readValue(parser, map));
                }
                return (PeakFlops) context.handleUnexpectedToken(PeakFlops.class, parser);
            }
        }
    }
}
