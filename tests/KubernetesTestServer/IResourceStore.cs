namespace KubernetesTestServer;

/// <summary>What the HTTP side needs of a store, whatever its kind.</summary>
internal interface IResourceStore
{
    string Resource { get; }

    string ApiPrefix { get; }

    bool Namespaced { get; }

    string ListJson(string? namespaceName, LabelSelector labels, FieldSelector fields);

    Watcher OpenWatch(string? namespaceName, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool bookmarks);

    void CloseWatch(Watcher watcher);

    string? GetJson(string? namespaceName, string name);

    string ApplyJson(string body, string? namespaceName, string? name);

    string? DeleteJson(string? namespaceName, string name);

    void ApplyDocument(string json);
}
