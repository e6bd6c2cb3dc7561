import { startLab } from '../src-main/lab/lab'
const lab = await startLab({ routers: 1 })
const r = lab.routers[0]!
const script = `/ip service disable telnet,ftp,www,api-ssl
/ip neighbor discovery-settings set discover-interface-list=LAN
/tool mac-server set allowed-interface-list=none
/ip dns set allow-remote-requests=no
`
for (const line of script.trim().split('\n')) console.log(line, '=>', JSON.stringify(await r.router.runScript(line)))
await lab.close()
