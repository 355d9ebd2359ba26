namespace Netlink.Tests.Deploy;

/// <summary>
/// deploy/kubernetes as an operator applies it: the API access is read-only and minimal, the DaemonSet is on the host
/// network with its configuration mounted, and no ipvsd container holds a capability beyond NET_ADMIN and NET_RAW.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] AllowedCapabilities = ["NET_ADMIN", "NET_RAW"];

    [Fact]
    public void EveryManifest_ParsesAsKubernetesObjects()
    {
        Assert.NotEmpty(Manifests.All);
        Assert.All(Manifests.All, d =>
        {
            Assert.False(string.IsNullOrEmpty(d.Document.Text("apiVersion")), d.File);
            Assert.False(string.IsNullOrEmpty(d.Document.Text("kind")), d.File);
            Assert.False(string.IsNullOrEmpty(d.Document.Map("metadata").Text("name")), d.File);
        });
    }

    [Fact]
    public void ClusterRole_GrantsListAndWatch_OnServicesNodesAndEndpointSlices_AndNothingElse()
    {
        ManifestMap role = Manifests.Single("ClusterRole");

        var granted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (ManifestMap rule in role.Maps("rules"))
        {
            Assert.False(rule.Has("resourceNames") || rule.Has("nonResourceURLs"), "a rule narrows or widens by name or URL");
            Assert.Equal(["list", "watch"], rule.Texts("verbs").Order(StringComparer.Ordinal));
            foreach (string group in rule.Texts("apiGroups"))
            {
                foreach (string resource in rule.Texts("resources"))
                {
                    Assert.True(granted.Add($"{group}/{resource}"), $"{group}/{resource} granted twice");
                }
            }
        }
        Assert.Equal(["/nodes", "/services", "discovery.k8s.io/endpointslices"], granted);
    }

    [Fact]
    public void ServiceAccount_IsTheOneTheDaemonSetRunsAs_AndTheBindingGrants()
    {
        ManifestMap account = Manifests.Single("ServiceAccount");
        ManifestMap binding = Manifests.Single("ClusterRoleBinding");
        ManifestMap daemonSet = Manifests.Single("DaemonSet");
        string name = account.Map("metadata").Text("name")!;
        string @namespace = account.Map("metadata").Text("namespace")!;

        Assert.Equal("kube-system", @namespace);
        Assert.Equal(name, PodSpec(daemonSet).Text("serviceAccountName"));
        Assert.Equal(@namespace, daemonSet.Map("metadata").Text("namespace"));
        ManifestMap subject = Assert.Single(binding.Maps("subjects"));
        Assert.Equal(("ServiceAccount", name, @namespace), (subject.Text("kind"), subject.Text("name"), subject.Text("namespace")));
        Assert.Equal(("ClusterRole", Manifests.Single("ClusterRole").Map("metadata").Text("name")),
            (binding.Map("roleRef").Text("kind"), binding.Map("roleRef").Text("name")));
        Assert.Equal(name, PodSpec(Manifests.Single("Pod", "ipvsd-cleanup")).Text("serviceAccountName"));
    }

    [Fact]
    public void DaemonSet_RunsOnTheHostNetwork_AsANodeCriticalPod_ToleratingEveryTaint()
    {
        ManifestMap pod = PodSpec(Manifests.Single("DaemonSet"));

        Assert.Equal("true", pod.Text("hostNetwork"));
        Assert.Equal("ClusterFirstWithHostNet", pod.Text("dnsPolicy"));
        Assert.Equal("system-node-critical", pod.Text("priorityClassName"));
        Assert.Contains(pod.Maps("tolerations"), t => t.Text("operator") == "Exists" && !t.Has("key") && !t.Has("effect"));
        ManifestMap node = Assert.Single(Ipvsd(pod).Maps("env"), e => e.Text("name") == "NODE_NAME");
        Assert.Equal("spec.nodeName", node.Map("valueFrom").Map("fieldRef").Text("fieldPath"));
    }

    [Fact]
    public void DaemonSet_MountsTheConfigMap_WhoseIpvsdYamlHasAKubernetesSectionAndNoServices()
    {
        ManifestMap pod = PodSpec(Manifests.Single("DaemonSet"));
        ManifestMap configMap = Manifests.Single("ConfigMap");

        ManifestMap volume = Assert.Single(pod.Maps("volumes"), v => v.Has("configMap"));
        Assert.Equal(configMap.Map("metadata").Text("name"), volume.Map("configMap").Text("name"));
        ManifestMap mount = Assert.Single(Ipvsd(pod).Maps("volumeMounts"), m => m.Text("name") == volume.Text("name"));
        Assert.Equal("/etc/ipvsd", mount.Text("mountPath"));
        Assert.Contains("/etc/ipvsd/ipvsd.yaml", Ipvsd(pod).Texts("args"));

        string yaml = configMap.Map("data").Text("ipvsd.yaml")!;
        // what ipvsd itself reads, so the ConfigMap cannot drift from the configuration's schema
        global::Ipvsd.Configuration.DaemonConfig? read = global::Ipvsd.Configuration.ConfigReader.Parse(yaml, "/etc/ipvsd/ipvsd.yaml", out var problems);
        Assert.True(read?.Kubernetes is not null, string.Join("\n", problems));
        ManifestMap config = Manifests.Parse(yaml);
        Assert.True(config.Has("kubernetes"));
        Assert.False(config.Has("services"));
        Assert.Equal(["kubeconfig", "node-name"], new[] { "kubeconfig", "node-name" }.Where(k => !config.Map("kubernetes").Has(k)));
    }

    [Fact]
    public void DaemonSet_KeepsTheStateDirectoryOnTheHost_AndProbesTheConfiguredHealthPort()
    {
        ManifestMap pod = PodSpec(Manifests.Single("DaemonSet"));
        ManifestMap config = Manifests.Parse(Manifests.Single("ConfigMap").Map("data").Text("ipvsd.yaml")!);
        ManifestMap ipvsd = Ipvsd(pod);

        string stateDirectory = config.Text("state-directory")!;
        ManifestMap state = Assert.Single(ipvsd.Maps("volumeMounts"), m => m.Text("mountPath") == stateDirectory);
        ManifestMap volume = Assert.Single(pod.Maps("volumes"), v => v.Text("name") == state.Text("name"));
        Assert.Equal(stateDirectory, volume.Map("hostPath").Text("path"));

        string healthPort = config.Text("health-address")!.Split(':')[^1];
        ManifestMap liveness = ipvsd.Map("livenessProbe").Map("httpGet");
        Assert.Equal(("/healthz", healthPort), (liveness.Text("path"), liveness.Text("port")));
    }

    [Fact]
    public void EveryIpvsdContainer_HoldsNoCapabilityBeyondNetAdminAndNetRaw_AndNoPrivilege()
    {
        string image = Ipvsd(PodSpec(Manifests.Single("DaemonSet"))).Text("image")!;
        var checkedContainers = new List<string>();
        foreach ((string file, ManifestMap document) in Manifests.All.Where(d => d.Document.Text("kind") is "DaemonSet" or "Pod"))
        {
            foreach (ManifestMap container in PodSpec(document).Maps("containers").Where(c => c.Text("image") == image))
            {
                string where = $"{file}: {container.Text("name")}";
                ManifestMap security = container.Map("securityContext");
                Assert.NotEqual("true", security.Text("privileged"));
                Assert.Equal("false", security.Text("allowPrivilegeEscalation"));
                Assert.Contains("ALL", security.Map("capabilities").Texts("drop"));
                Assert.All(security.Map("capabilities").Texts("add"), c => Assert.Contains(c, AllowedCapabilities));
                checkedContainers.Add(where);
            }
        }
        Assert.Equal(["cleanup/ipvsd-cleanup.yaml: cleanup", "daemonset.yaml: ipvsd"], checkedContainers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DaemonSet_PrivilegedOnlyInTheInitContainer_ThatLoadsModulesAndSetsSysctls()
    {
        ManifestMap pod = PodSpec(Manifests.Single("DaemonSet"));

        ManifestMap kernel = Assert.Single(pod.Maps("initContainers"));
        Assert.Equal("kernel", kernel.Text("name"));
        string script = string.Join('\n', kernel.Texts("command"));
        Assert.Contains("modprobe -a ip_vs", script, StringComparison.Ordinal);
        Assert.DoesNotContain("ipvsd --", script, StringComparison.Ordinal);
        Assert.All(pod.Maps("containers"), c => Assert.NotEqual("true", c.Map("securityContext").Text("privileged")));
    }

    private static ManifestMap PodSpec(ManifestMap document) =>
        document.Text("kind") == "Pod" ? document.Map("spec") : document.Map("spec").Map("template").Map("spec");

    private static ManifestMap Ipvsd(ManifestMap podSpec) => Assert.Single(podSpec.Maps("containers"), c => c.Text("name") == "ipvsd");
}
