// A task's edge in the delegation graph: drawn along the route the layered layout gave it (between the
// columns, never through a node), its label in the box the layout kept free for it.
import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { Box, Point } from '../graph/layered.js';

export type TaskEdgeData = { points?: Point[]; labelBox?: Box; status: string };

/** Smooth through the points, leaving and entering each one level (no overshoot past a column). */
export function routePath(points: Point[]): string {
  let path = `M ${points[0]!.x} ${points[0]!.y}`;
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1]!;
    const to = points[i]!;
    const bend = (to.x - from.x) / 2;
    path += ` C ${from.x + bend} ${from.y} ${to.x - bend} ${to.y} ${to.x} ${to.y}`;
  }
  return path;
}

export function TaskEdge(props: EdgeProps<Edge<TaskEdgeData>>) {
  const { data, sourceX, sourceY, targetX, targetY } = props;
  const route = data?.points;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (route && route.length >= 2) {
    // Ends where the nodes are now (a node dragged away takes its end along); the bends stay.
    path = routePath([{ x: sourceX, y: sourceY }, ...route.slice(1, -1), { x: targetX, y: targetY }]);
    labelX = data.labelBox ? data.labelBox.x + data.labelBox.width / 2 : (sourceX + targetX) / 2;
    labelY = data.labelBox ? data.labelBox.y + data.labelBox.height / 2 : (sourceY + targetY) / 2;
  } else {
    [path, labelX, labelY] = getBezierPath(props);
  }
  return (
    <BaseEdge
      id={props.id}
      path={path}
      markerEnd={props.markerEnd}
      style={props.style}
      label={props.label}
      labelX={labelX}
      labelY={labelY}
      labelShowBg
      labelBgPadding={[6, 3]}
      labelBgBorderRadius={4}
      interactionWidth={props.interactionWidth}
    />
  );
}
