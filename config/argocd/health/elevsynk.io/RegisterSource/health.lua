-- Argo CD health of an elevsynk RegisterSource, read from the conditions its
-- controller sets: Ready always, Reconciling and Stalled only while True
-- (kstatus), each with the generation it describes.
local function condition(name)
  if obj.status ~= nil and obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == name then
        return c
      end
    end
  end
  return nil
end

-- Until the controller has seen this generation, the conditions describe
-- an older spec.
local generation = obj.metadata.generation or 0
if obj.status == nil or obj.status.observedGeneration == nil or obj.status.observedGeneration < generation then
  return {status = "Progressing", message = "Waiting for the controller to observe generation " .. generation}
end

-- Stalled: retrying cannot help until someone changes something (a bad
-- manifest, a missing secret, a register that shrank too much and waits
-- for approval).
local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  return {status = "Degraded", message = stalled.reason .. ": " .. stalled.message}
end

local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  return {status = "Progressing", message = reconciling.message}
end

local ready = condition("Ready")
if ready == nil then
  return {status = "Progressing", message = "Waiting for the controller to set Ready"}
end
if ready.status == "True" then
  return {status = "Healthy", message = ready.message}
end
-- Not ready because something it needs is not there yet (the Tenant, a
-- Secret, the Target a directoryGroups source reads through): that
-- resolves by itself. Any other reason is a failure the controller
-- retries with backoff.
local waiting = {TenantNotFound = true, SecretNotFound = true, DependencyNotFound = true}
if waiting[ready.reason] then
  return {status = "Progressing", message = ready.message}
end
return {status = "Degraded", message = ready.reason .. ": " .. ready.message}
