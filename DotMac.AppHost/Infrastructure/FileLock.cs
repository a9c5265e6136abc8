namespace DotMac.AppHost.Infrastructure;

/// <summary>
/// A lock between processes on one machine: an exclusively opened file (.NET takes an flock on it), released when
/// disposed or when the process dies, so a crashed holder never leaves it stuck.
/// </summary>
public sealed class FileLock : IDisposable
{
    readonly FileStream _stream;

    FileLock(FileStream stream) => _stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new InfrastructureException($"Timed out after {timeout.TotalSeconds:0} s waiting for the lock {path}; another DotMac process holds it.", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
