-- Argo CD 1.8 removed the health check of Application resources; without it, child Applications
-- do not hold back later sync waves. This restores it (Argo CD docs, upgrading/1.7-1.8).
hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
