package io.redmatch.engine.stream;

/**
 * A fixed run of {@link FillStream#CHUNK_SIZE} consecutive fills stored column by column, so a stream holds a few
 * primitive arrays per chunk instead of an object per fill, and a chunk freed by trimming is reused as it is.
 */
final class FillChunk
{
    final long[] price = new long[FillStream.CHUNK_SIZE];
    final long[] qty = new long[FillStream.CHUNK_SIZE];
    final long[] quoteQty = new long[FillStream.CHUNK_SIZE];
    final long[] takerOrderId = new long[FillStream.CHUNK_SIZE];
    final long[] makerOrderId = new long[FillStream.CHUNK_SIZE];
    final long[] takerFee = new long[FillStream.CHUNK_SIZE];
    final long[] makerFee = new long[FillStream.CHUNK_SIZE];
    final long[] ts = new long[FillStream.CHUNK_SIZE];
    final int[] takerAccountId = new int[FillStream.CHUNK_SIZE];
    final int[] makerAccountId = new int[FillStream.CHUNK_SIZE];
    final byte[] takerSide = new byte[FillStream.CHUNK_SIZE];
}
