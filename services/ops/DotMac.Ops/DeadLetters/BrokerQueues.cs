using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using DotMac.ServiceDefaults.Messaging;
using RabbitMQ.Client;

namespace DotMac.Ops.DeadLetters;

/// <summary>
/// The broker side of dead letters: which _error queues hold messages (RabbitMQ's management API), taking messages
/// off them and putting a replayed one back on its input queue (AMQP, with publisher confirms).
/// </summary>
public sealed class BrokerQueues(RabbitMqEndpoint amqp, Uri management, HttpClient http) : IAsyncDisposable
{
    public const string ErrorSuffix = "_error";

    readonly SemaphoreSlim _gate = new(1, 1);
    IConnection? _connection;

    sealed record QueueInfo(string Name, long? Messages);

    /// <summary>The _error queues of our virtual host that hold at least one message.</summary>
    public async Task<IReadOnlyList<string>> ErrorQueuesAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(management, $"api/queues/{Uri.EscapeDataString(amqp.VirtualHost)}?columns=name,messages"));
        var credentials = management.UserInfo.Length > 0 ? Uri.UnescapeDataString(management.UserInfo) : $"{amqp.Username}:{amqp.Password}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var queues = await response.Content.ReadFromJsonAsync<List<QueueInfo>>(cancellationToken) ?? [];
        return queues.Where(q => q.Name.EndsWith(ErrorSuffix, StringComparison.Ordinal) && q.Messages > 0).Select(q => q.Name).ToList();
    }

    /// <summary>
    /// Takes one message off <paramref name="queue"/> and hands it to <paramref name="store"/>; acknowledged only after
    /// the store returned, so a crash in between leaves it on the queue. False when the queue is empty.
    /// </summary>
    public async Task<bool> TakeOneAsync(string queue, Func<BrokerMessage, Task> store, CancellationToken cancellationToken)
    {
        await using var channel = await ChannelAsync(confirms: false, cancellationToken);
        var result = await channel.BasicGetAsync(queue, autoAck: false, cancellationToken);
        if (result is null)
            return false;
        var properties = result.BasicProperties;
        await store(new BrokerMessage(queue, properties.MessageId, properties.ContentType, result.Body.ToArray(), ReadHeaders(properties.Headers)));
        await channel.BasicAckAsync(result.DeliveryTag, multiple: false, cancellationToken);
        return true;
    }

    /// <summary>Publishes a message to the exchange MassTransit binds to <paramref name="queue"/>, waiting for the broker's confirm.</summary>
    public async Task PublishAsync(string queue, string? messageId, string? contentType, byte[] body, IReadOnlyDictionary<string, string> headers,
        CancellationToken cancellationToken)
    {
        await using var channel = await ChannelAsync(confirms: true, cancellationToken);
        var properties = new BasicProperties
        {
            MessageId = messageId,
            ContentType = contentType,
            Persistent = true,
            Headers = headers.ToDictionary(h => h.Key, h => (object?)h.Value),
        };
        await channel.BasicPublishAsync(queue, "", mandatory: true, properties, body, cancellationToken);
    }

    async Task<IChannel> ChannelAsync(bool confirms, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null)
                    await _connection.DisposeAsync();
                var factory = new ConnectionFactory
                {
                    HostName = amqp.Host,
                    Port = amqp.Port,
                    VirtualHost = amqp.VirtualHost,
                    UserName = amqp.Username,
                    Password = amqp.Password,
                    ClientProvidedName = "ops dead letters",
                };
                _connection = await factory.CreateConnectionAsync(cancellationToken);
            }
            return await _connection.CreateChannelAsync(new CreateChannelOptions(confirms, confirms), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    static Dictionary<string, string> ReadHeaders(IDictionary<string, object?>? headers)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (headers is null)
            return result;
        foreach (var (key, value) in headers)
        {
            result[key] = value switch
            {
                null => "",
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            };
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}

public sealed record BrokerMessage(string Queue, string? MessageId, string? ContentType, byte[] Body, IReadOnlyDictionary<string, string> Headers);
