package io.rhlab.activities.model;

/**
 * Element types of the safetensors format that this platform converts to float32. Other types
 * (integers, F64, FP8) are rejected with their name.
 */
public enum SafetensorsDType {
  /** IEEE float32. */
  F32(4, "float32"),
  /** IEEE float16. */
  F16(2, "float16"),
  /** bfloat16: the upper 16 bits of a float32. */
  BF16(2, "bfloat16");

  private final int bytes;
  private final String torchName;

  SafetensorsDType(int bytes, String torchName) {
    this.bytes = bytes;
    this.torchName = torchName;
  }

  /** The torch dtype's name, as config.json's {@code torch_dtype} writes it. */
  public String torchName() {
    return torchName;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /**
   * Parses a header's dtype string.
   *
   * @param name e.g. "BF16"
   * @return the dtype
   * @throws IllegalArgumentException if the type is not F32, F16 or BF16
   */
  public static SafetensorsDType parse(String name) {
    for (SafetensorsDType type : values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("dtype must be one of F32, F16, BF16, got " + name);
  }

  /** float32 value of an IEEE float16 bit pattern (subnormals, infinities and NaN included). */
  static float halfToFloat(short bits) {
    int half = bits & 0xFFFF;
    int sign = (half & 0x8000) << 16;
    int exponent = (half >>> 10) & 0x1F;
    int mantissa = half & 0x3FF;
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // zero or subnormal
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** float32 value of a bfloat16 bit pattern: the bits shifted into the upper half. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /** The bfloat16 nearest to a float32 (ties to even; NaN stays a quiet NaN). */
  static short floatToBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x0040);
    }
    int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
    return (short) ((bits + roundingBias) >>> 16);
  }
}
