package org.boomerang.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Golden bytes for decoder tests (Netty's style, STYLE.md rule 11): a decoder must give the same
 * result whether the bytes arrive whole, one by one, or split at odd points.
 */
public final class GoldenBytes {
    private GoldenBytes() {}

    /** Reads a hex dump; spaces, newlines and {@code #} comments to the end of a line are ignored. */
    public static byte[] hex(String dump) {
        StringBuilder digits = new StringBuilder();
        for (String line : dump.split("\n")) {
            int hash = line.indexOf('#');
            digits.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s+", ""));
        }
        return HexFormat.of().parseHex(digits.toString());
    }

    /**
     * The ways to cut {@code bytes} into consecutive chunks that a test feeds in turn: whole, byte by
     * byte, and cut at every odd prime stride (3, 5, 7, 11, 13) and at each single point.
     */
    public static List<List<byte[]>> splits(byte[] bytes) {
        List<List<byte[]>> ways = new ArrayList<>();
        ways.add(List.of(bytes.clone()));
        ways.add(chunks(bytes, 1));
        for (int stride : new int[] {3, 5, 7, 11, 13}) {
            if (stride < bytes.length) {
                ways.add(chunks(bytes, stride));
            }
        }
        for (int cut = 1; cut < bytes.length; cut++) {
            ways.add(List.of(Arrays.copyOfRange(bytes, 0, cut), Arrays.copyOfRange(bytes, cut, bytes.length)));
        }
        return ways;
    }

    private static List<byte[]> chunks(byte[] bytes, int stride) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += stride) {
            out.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + stride)));
        }
        return out;
    }
}
