using System.Buffers.Binary;
using DotMac.Networking.Data;
using Npgsql;
using NpgsqlTypes;

namespace DotMac.Networking.Polling;

/// <summary>Writes interface samples with PostgreSQL's binary COPY: the fastest way in, one round trip per batch.</summary>
internal sealed class SampleWriter(NpgsqlDataSource db)
{
    public async Task<ulong> WriteAsync(IReadOnlyCollection<InterfaceSample> samples, CancellationToken cancellationToken)
    {
        if (samples.Count == 0)
            return 0;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await WriteAsync(connection, samples, cancellationToken);
    }

    /// <summary>
    /// COPYs the samples in the order of interface_samples' lookup index (interface, time): PostgreSQL then
    /// walks the index's leaf pages forward instead of jumping between them for every row, which is most of what a
    /// large batch costs (a million poll-ordered rows load about twice as fast sorted).
    /// </summary>
    public static async Task<ulong> WriteAsync(NpgsqlConnection connection, IEnumerable<InterfaceSample> samples, CancellationToken cancellationToken)
    {
        var rows = samples.ToArray();
        var keys = new IndexKey[rows.Length];
        for (var i = 0; i < rows.Length; i++)
            keys[i] = new IndexKey(rows[i]);
        Array.Sort(keys, rows);

        await using var writer = await connection.BeginBinaryImportAsync(SampleSql.Copy, cancellationToken);
        foreach (var s in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(s.TenantId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(s.InterfaceId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(s.SampledAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(s.InBps, NpgsqlDbType.Double, cancellationToken);
            await writer.WriteAsync(s.OutBps, NpgsqlDbType.Double, cancellationToken);
            await writer.WriteAsync(s.InOctets, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(s.OutOctets, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(s.IntervalSeconds, NpgsqlDbType.Real, cancellationToken);
        }
        return await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>A sample's position in the index: uuids compare as PostgreSQL compares them, byte by byte (big-endian).</summary>
    readonly record struct IndexKey(ulong InterfaceHigh, ulong InterfaceLow, long Ticks) : IComparable<IndexKey>
    {
        public IndexKey(InterfaceSample sample) : this(0, 0, sample.SampledAt.UtcTicks)
        {
            Span<byte> bytes = stackalloc byte[16];
            sample.InterfaceId.TryWriteBytes(bytes, bigEndian: true, out _);
            InterfaceHigh = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            InterfaceLow = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        }

        public int CompareTo(IndexKey other)
        {
            var c = InterfaceHigh.CompareTo(other.InterfaceHigh);
            if (c == 0) c = InterfaceLow.CompareTo(other.InterfaceLow);
            return c != 0 ? c : Ticks.CompareTo(other.Ticks);
        }
    }
}
