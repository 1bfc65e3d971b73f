package dev.llmcalc.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.llmcalc.core.unit.InvalidInputException;
import org.junit.jupiter.api.Test;

class QuantizationTests {

    @Test
    void nf4WhenBlock64WithDoubleQuantizationShouldCostAbout4Point127Bits() {
        // Dettmers et al. 2023 §3: 4 + 8/64 + 32/(64·256) = 4 + 0.125 + 0.001953125 = 4.126953125 (exact in binary)
        assertThat(Quantization.DEFAULT.bitsPerWeight()).isEqualTo(4.126953125);
        assertThat(Quantization.DEFAULT.formula()).contains("b + 8/B + 32/(B·256)").contains("4.126953125");
    }

    @Test
    void nf4WithoutDoubleQuantizationShouldCostHalfABitMore() {
        // Dettmers et al. 2023 §3: 32/64 = 0.5 bits of constants
        assertThat(new Quantization(BaseWeightFormat.NF4, 64, false).bitsPerWeight()).isEqualTo(4.5);
        assertThat(new Quantization(BaseWeightFormat.INT8, 64, false).bitsPerWeight()).isEqualTo(8.5);
    }

    @Test
    void bytesShouldMatchBitsPerWeightOnWholeBlocks() {
        // 16,384 weights = 256 blocks of 64: 8,192 value bytes + 256 one-byte constants + 1 fp32 = 8,452
        // = 16,384 × 4.126953125 / 8
        assertThat(Quantization.DEFAULT.bytesFor(16_384)).isEqualTo(8_452L);
        assertThat(new Quantization(BaseWeightFormat.FP4, 64, false).bytesFor(16_384)).isEqualTo(8_192L + 1_024L);
    }

    @Test
    void oddCountsShouldRoundUpAndNeverBeZero() {
        // 1 weight: half a byte rounds up to 1, one block constant 1 byte, one second-level constant 4 bytes
        assertThat(Quantization.DEFAULT.bytesFor(1)).isEqualTo(6L);
    }

    @Test
    void blockSizeWhenZeroShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new Quantization(BaseWeightFormat.NF4, 0, true))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("lora.quantization.blockSize"));
    }
}
