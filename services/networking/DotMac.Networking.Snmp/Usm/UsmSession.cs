using System.Diagnostics;

namespace DotMac.Networking.Snmp.Usm;

/// <summary>
/// What a client knows about one authoritative engine for one user: its engine ID, boots and a clock estimate
/// (RFC 3414 section 2.3), and the user's keys localised to that engine.
/// </summary>
internal sealed class UsmSession(UsmUser user)
{
    readonly Lock _clock = new();
    int _boots;
    int _timeAtSync;
    long _syncedAt;
    long _salt = Random.Shared.NextInt64();

    public UsmUser User { get; } = user;

    public SemaphoreSlim Discovery { get; } = new(1, 1);

    public byte[]? EngineId { get; private set; }

    public byte[]? AuthKey { get; private set; }

    public byte[]? PrivKey { get; private set; }

    public void SetEngine(byte[] engineId, byte[]? authKey, byte[]? privKey)
    {
        EngineId = engineId;
        AuthKey = authKey;
        PrivKey = privKey;
    }

    public void Forget() => EngineId = null;

    /// <summary>A fresh privacy salt per message (RFC 3826 3.1.2.1: a counter that starts at a random value).</summary>
    public ulong NextSalt() => unchecked((ulong)Interlocked.Increment(ref _salt));

    public void Synchronise(int boots, int time)
    {
        lock (_clock)
        {
            _boots = boots;
            _timeAtSync = time;
            _syncedAt = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Takes a later boots/time from an authenticated message (RFC 3414 3.2 step 7b).</summary>
    public void Advance(int boots, int time)
    {
        var (currentBoots, currentTime) = Now();
        if (boots > currentBoots || (boots == currentBoots && time > currentTime))
            Synchronise(boots, time);
    }

    public (int Boots, int Time) Now()
    {
        lock (_clock)
        {
            var elapsed = (int)Stopwatch.GetElapsedTime(_syncedAt).TotalSeconds;
            return (_boots, _timeAtSync + elapsed);
        }
    }
}
