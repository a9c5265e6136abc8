namespace DotMac.ServiceDefaults.Messaging;

/// <summary>
/// On a shared registration method (AddFeatureFlags): the consumers a service gets by calling it. The event catalog
/// (devtools) finds the call in the service's code and lists the service among those messages' consumers.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RegistersConsumersAttribute(params Type[] consumers) : Attribute
{
    public IReadOnlyList<Type> Consumers { get; } = consumers;
}
