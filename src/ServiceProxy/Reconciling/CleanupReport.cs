namespace ServiceProxy.Reconciling;

/// <summary>What <see cref="ServiceReconciler.Cleanup"/> removed.</summary>
/// <param name="ServicesDeleted">Owned virtual services deleted (with their real servers).</param>
/// <param name="InterfaceRemoved">Whether the virtual IPs' interface was deleted.</param>
/// <param name="RulesRemoved">Whether the service rules were removed.</param>
public sealed record CleanupReport(int ServicesDeleted, bool InterfaceRemoved, bool RulesRemoved);
