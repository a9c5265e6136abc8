namespace DotMac.AppHost.Infrastructure;

/// <summary>Local infrastructure could not be provided; the message says what to do about it.</summary>
public sealed class InfrastructureException(string message, Exception? inner = null) : Exception(message, inner);
