using System.Reflection;
using System.Runtime.Loader;

namespace DotMac.Devtools.Catalog;

/// <summary>
/// Who consumes each message, read from the services' own built assemblies: every IConsumer&lt;T&gt; they implement and
/// every Event&lt;T&gt; of their saga state machines, and the consumers of the shared registrations they call (a method of
/// ServiceDefaults marked [RegistersConsumers], such as AddFeatureFlags, found in their code's IL). A consumer of
/// IIntegrationEvent (the events service's history) consumes every event. Each assembly is loaded, with its own dependencies, into a context that is unloaded after.
/// </summary>
public static class ServiceRegistrations
{
    const string IntegrationEvent = "DotMac.Contracts.IIntegrationEvent";

    /// <summary>The built assembly of every service of the repository (services/{name}/DotMac.{Name}/bin/{configuration}/net10.0).</summary>
    public static IReadOnlyList<(string Service, string Path)> BuiltServices(string repositoryRoot, string configuration)
    {
        var found = new List<(string, string)>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(repositoryRoot, "services")).Order(StringComparer.Ordinal))
        {
            var service = Path.GetFileName(folder);
            var project = Directory.GetDirectories(folder, "DotMac.*").FirstOrDefault(p =>
                string.Equals(Path.GetFileName(p), $"DotMac.{service}", StringComparison.OrdinalIgnoreCase));
            if (project is null)
                continue;
            var assembly = Path.Combine(project, "bin", configuration, "net10.0", $"{Path.GetFileName(project)}.dll");
            if (!File.Exists(assembly))
                throw new FileNotFoundException($"Build the solution first ({configuration}): {assembly} is missing.");
            found.Add((service, assembly));
        }
        return found;
    }

    /// <summary>Contract type full name to the services consuming it, in name order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Consumers(IEnumerable<(string Service, string Path)> services, IEnumerable<Type> messages)
    {
        var events = messages.Where(m => m.GetInterfaces().Any(i => i.FullName == IntegrationEvent)).Select(m => m.FullName!).ToHashSet();
        var consumed = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (service, path) in services)
        {
            foreach (var message in ConsumedBy(path))
            {
                foreach (var name in message == IntegrationEvent ? events : [message])
                {
                    if (!consumed.TryGetValue(name, out var set))
                        consumed[name] = set = new SortedSet<string>(StringComparer.Ordinal);
                    set.Add(service);
                }
            }
        }
        return consumed.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)[.. c.Value], StringComparer.Ordinal);
    }

    static HashSet<string> ConsumedBy(string assemblyPath)
    {
        var context = new ServiceContext(assemblyPath);
        try
        {
            var assembly = context.LoadFromAssemblyPath(assemblyPath);
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in LoadableTypes(assembly))
                foreach (var consumer in SharedRegistrationsCalledBy(type))
                    foreach (var contract in ConsumedMessages(consumer))
                        Add(found, contract);
            foreach (var type in LoadableTypes(assembly).Where(t => t is { IsClass: true, IsAbstract: false }))
            {
                foreach (var contract in ConsumedMessages(type))
                    Add(found, contract);
                if (IsStateMachine(type))
                    foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                        if (property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition().FullName == "MassTransit.Event`1")
                            Add(found, property.PropertyType.GetGenericArguments()[0].FullName);
            }
            return found;
        }
        finally
        {
            context.Unload();
        }
    }

    static IEnumerable<string?> ConsumedMessages(Type consumer) =>
        consumer.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition().FullName == "MassTransit.IConsumer`1")
            .Select(i => i.GetGenericArguments()[0].FullName);

    /// <summary>The consumers of every [RegistersConsumers] method the type's code calls (call and callvirt in its IL).</summary>
    static IEnumerable<Type> SharedRegistrationsCalledBy(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        MethodBase[] methods;
        try
        {
            methods = [.. type.GetMethods(all), .. type.GetConstructors(all)];
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException)
        {
            yield break;
        }
        foreach (var method in methods)
        {
            byte[]? il;
            try
            {
                il = method.GetMethodBody()?.GetILAsByteArray();
            }
            catch (Exception e) when (e is TypeLoadException or FileNotFoundException or BadImageFormatException)
            {
                continue;
            }
            if (il is null)
                continue;
            for (var i = 0; i + 4 < il.Length; i++)
            {
                if (il[i] is not (0x28 or 0x6F)) // call, callvirt
                    continue;
                MethodBase? called;
                try
                {
                    called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1));
                }
                catch (Exception e) when (e is ArgumentException or TypeLoadException or FileNotFoundException or BadImageFormatException or MissingMethodException)
                {
                    continue;
                }
                var registers = called?.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == "RegistersConsumersAttribute");
                if (registers is null)
                    continue;
                foreach (var argument in registers.ConstructorArguments)
                    if (argument.Value is IEnumerable<CustomAttributeTypedArgument> consumers)
                        foreach (var consumer in consumers)
                            if (consumer.Value is Type consumerType)
                                yield return consumerType;
            }
        }
    }

    static void Add(HashSet<string> found, string? contract)
    {
        if (contract?.StartsWith("DotMac.Contracts.", StringComparison.Ordinal) == true)
            found.Add(contract);
    }

    static bool IsStateMachine(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.GetGenericTypeDefinition().FullName == "MassTransit.MassTransitStateMachine`1")
                return true;
        return false;
    }

    static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    sealed class ServiceContext(string assemblyPath) : AssemblyLoadContext(isCollectible: true)
    {
        readonly AssemblyDependencyResolver _resolver = new(assemblyPath);

        protected override Assembly? Load(AssemblyName name)
        {
            var path = _resolver.ResolveAssemblyToPath(name);
            return path is null ? null : LoadFromAssemblyPath(path);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
        }
    }
}
